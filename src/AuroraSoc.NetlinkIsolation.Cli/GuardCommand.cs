using System.Globalization;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// <c>guard</c>: a thin host of <see cref="IsolationGuard"/> (guard.md). Runs until SIGTERM or SIGINT, then exits 0 and
/// leaves every table in place; exits 1 when it cannot start. Tells systemd READY=1 once every intent is in force.
/// </summary>
internal static class GuardCommand
{
    public static CliCommand Syntax { get; } = new(
        "guard",
        "Keep every recorded isolation in force until stopped: own each table where the kernel keeps owned tables (PERSIST), watch nf_tables' change events and re-commit any table another process changes, and take hand-overs from isolate, unisolate and restore. Stopping never un-isolates.",
        [CliOptions.StateDir, CliOptions.MonitorOnly, CliOptions.VerifyInterval],
        "Example:\n  aurorasoc-isolate guard --state-dir /var/lib/aurorasoc-isolate\n\nExit codes: 0 stopped by SIGTERM/SIGINT (tables stay), 1 could not start, 2 invalid input.",
        Run);

    private static int Run(ParsedCommandLine line)
    {
        var cliLogger = new StderrLogger(CommandOutput.ProgramName, line.Verbose);
        var options = new IsolationGuardOptions { MonitorOnly = line.Has(CliOptions.MonitorOnly) };
        if (line.Value(CliOptions.StateDir) is { } directory)
        {
            options.StateDirectory = directory;
        }

        if (line.Value(CliOptions.VerifyInterval) is { } seconds)
        {
            if (!int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out int interval) || interval <= 0)
            {
                Console.Error.WriteLine($"{CommandOutput.ProgramName}: invalid --verify-interval '{seconds}': a whole number of seconds, at least 1");
                return ExitCodes.InvalidArguments;
            }

            options.VerifyInterval = TimeSpan.FromSeconds(interval);
        }

        using var stop = new ManualResetEventSlim();
        void Stop(PosixSignalContext context)
        {
            context.Cancel = true;
            stop.Set();
        }

        using PosixSignalRegistration sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
        using PosixSignalRegistration sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
        IsolationGuard guard;
        try
        {
            guard = IsolationGuard.Start(options, cliLogger);
        }
        catch (Exception exception) when (exception is IntentStoreException or IsolationException)
        {
            Console.Error.WriteLine($"{CommandOutput.ProgramName}: guard could not start: {exception.Message}".ReplaceLineEndings(" "));
            return ExitCodes.Failed;
        }

        using (guard)
        {
            SystemdNotifier.Notify("READY=1");
            stop.Wait();
            SystemdNotifier.Notify("STOPPING=1");
        }

        return ExitCodes.Success;
    }
}
