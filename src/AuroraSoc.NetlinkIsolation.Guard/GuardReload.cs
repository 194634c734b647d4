using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// <c>systemctl reload</c> (SIGHUP): re-reads the state directory and re-applies every recorded intent whose namespace
/// exists, as at start (<see cref="IsolationGuard.Restore"/>), then reports the new status. Told to systemd as
/// RELOADING=1 with the monotonic time, then READY=1 (sd_notify(3)); a reload that fails keeps the guard running
/// with what it guarded before.
/// </summary>
internal static class GuardReload
{
    public static void Run(IsolationGuard guard, ILogger logger)
    {
        // CLOCK_MONOTONIC in microseconds, as systemd wants it with RELOADING=1 (Stopwatch is CLOCK_MONOTONIC on Linux).
        long monotonicMicroseconds = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
        SystemdNotifier.Notify($"RELOADING=1\nMONOTONIC_USEC={monotonicMicroseconds}");
        string status;
        try
        {
            IReadOnlyList<RestoreResult> outcomes = guard.Restore();
            status = GuardStatusText.Describe(outcomes);
            GuardHostLogMessages.Reloaded(logger, guard.StateDirectory, status);
        }
        catch (Exception exception) when (exception is IntentStoreException or IsolationException)
        {
            status = "reload failed: " + exception.Message.ReplaceLineEndings(" ");
            GuardHostLogMessages.ReloadFailed(logger, guard.StateDirectory, exception.Message);
        }

        SystemdNotifier.Notify("READY=1\nSTATUS=" + status);
    }
}
