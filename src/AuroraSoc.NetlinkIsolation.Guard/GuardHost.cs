using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// <c>guard</c> in the guard's executable: a thin host of <see cref="IsolationGuard"/>. Runs until SIGTERM or SIGINT,
/// then exits 0 and leaves every table in place; exits 1 when it cannot start. Tells systemd READY=1 once every intent
/// is in force.
/// </summary>
internal static class GuardHost
{
    public static int Run(GuardArguments arguments, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(error);
        var cliLogger = new StderrLogger(CommandOutput.ProgramName, arguments.Verbose, error);
        var options = new IsolationGuardOptions { MonitorOnly = arguments.MonitorOnly };
        if (arguments.StateDirectory is { } directory)
        {
            options.StateDirectory = directory;
        }

        if (arguments.VerifyInterval is { } interval)
        {
            options.VerifyInterval = interval;
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
            error.WriteLine($"{CommandOutput.ProgramName}: guard could not start: {exception.Message}".ReplaceLineEndings(" "));
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
