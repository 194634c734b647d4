using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Interop.Process;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// <c>guard</c> in the guard's executable: a thin host of <see cref="IsolationGuard"/>. Runs until SIGTERM or SIGINT,
/// then exits 0 and leaves every table in place; exits 1 when it cannot start. Tells systemd READY=1 once every intent
/// is in force, STATUS= with what is guarded and degraded, and STOPPING=1; SIGHUP (<c>systemctl reload</c>) re-reads
/// the state directory and re-applies every intent, framed by RELOADING=1 and READY=1 (sd_notify(3)). Under systemd it
/// logs for the journal (<see cref="JournalLogger"/>).
/// </summary>
internal static class GuardHost
{
    public static int Run(GuardArguments arguments, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(error);
        bool underSystemd = JournalLogger.IsUnderSystemd(Environment.GetEnvironmentVariable);
        ILogger cliLogger = underSystemd
            ? new JournalLogger(CommandOutput.ProgramName, arguments.Verbose, error)
            : new StderrLogger(CommandOutput.ProgramName, arguments.Verbose, error);
        var options = new IsolationGuardOptions { MonitorOnly = arguments.MonitorOnly };
        if (arguments.StateDirectory is { } directory)
        {
            options.StateDirectory = directory;
        }

        if (arguments.VerifyInterval is { } interval)
        {
            options.VerifyInterval = interval;
        }

        using var stop = new ManualResetEvent(false);
        using var reload = new AutoResetEvent(false);
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }

        // SIGHUP's default action ends the process: cancelled, it asks for a reload instead.
        void Reload(PosixSignalContext context)
        {
            context.Cancel = true;
            reload.Set();
        }

        // SIGHUP (reload) and SIGTERM (stop) are how systemd and an operator control the guard. Inherited as ignored
        // (nohup, a supervisor or a CI runner that ignores SIGHUP), they would stay ignored: .NET leaves a signal that is
        // ignored when its handler is registered ignored, and `kill -HUP` would never reload. systemd resets them for
        // its services; anything else gets them back here. SIGINT keeps what it inherited: a shell ignores it for a
        // background job on purpose.
        _ = SignalDisposition.StopIgnoring(SignalDisposition.Hangup);
        _ = SignalDisposition.StopIgnoring(SignalDisposition.Terminate);
        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        using PosixSignalRegistration sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Reload);
        IsolationGuard guard;
        try
        {
            guard = IsolationGuard.Start(options, cliLogger);
        }
        catch (Exception exception) when (exception is IntentStoreException or IsolationException)
        {
            string line = $"{CommandOutput.ProgramName}: guard could not start: {exception.Message}".ReplaceLineEndings(" ");
            error.WriteLine(underSystemd ? "<3>" + line : line);
            return ExitCodes.Failed;
        }

        using (guard)
        {
            SystemdNotifier.Notify("READY=1\nSTATUS=" + GuardStatusText.Describe(guard.StartOutcomes));
            WaitHandle[] wakers = [stop, reload];
            while (WaitHandle.WaitAny(wakers) == 1)
            {
                GuardReload.Run(guard, cliLogger);
            }

            SystemdNotifier.Notify("STOPPING=1");
        }

        return ExitCodes.Success;
    }
}
