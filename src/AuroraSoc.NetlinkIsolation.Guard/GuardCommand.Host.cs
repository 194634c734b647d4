using System.Globalization;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>The guard's executable hosts <see cref="IsolationGuard"/> itself.</summary>
internal static partial class GuardCommand
{
    private static partial int Run(ParsedCommandLine line)
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
