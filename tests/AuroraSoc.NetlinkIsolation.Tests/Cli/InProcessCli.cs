using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>
/// Runs the CLI core in this process, as both executables' Program.cs do, with its streams captured and a kernel that
/// refuses to be reached: opening an isolator or running a restore pass records what was asked for and throws, so an
/// argument check that failed to refuse ends in exit 1 ("internal error") and never acts on the machine the tests run
/// on (they run as root). <c>guard</c> records its checked arguments and exits 0.
/// </summary>
internal static class InProcessCli
{
    public static CliRun Run(params string[] args)
    {
        var run = new CliRun();
        var environment = new KernelRefusingEnvironment(run);
        run.ExitCode = IsolateCli.Run(args, environment);
        run.StandardOutput = environment.Out.ToString()!;
        run.StandardError = environment.Error.ToString()!;
        return run;
    }

    /// <summary>A command line written as one string, arguments separated by '|' (so a value can hold spaces or be empty).</summary>
    public static CliRun RunLine(string commandLine) => Run(commandLine.Length == 0 ? [] : commandLine.Split('|'));

    private sealed class KernelRefusingEnvironment(CliRun run) : CommandEnvironment(
        (arguments, _) =>
        {
            run.Guard = arguments;
            return ExitCodes.Success;
        },
        WatchSession.Run)
    {
        public override TextWriter Out { get; } = new StringWriter();

        public override TextWriter Error { get; } = new StringWriter();

        public override int HelpWidth => int.MaxValue;

        public override HostIsolator OpenIsolator(string? netns, ILogger logger)
        {
            run.KernelRequests.Add($"open isolator in {netns ?? "the current namespace"}");
            throw new InvalidOperationException("the in-process tests' kernel is never reached");
        }

        public override IReadOnlyList<RestoreResult> Restore(IntentStore store, ILogger logger)
        {
            run.KernelRequests.Add($"restore {store.Directory}");
            throw new InvalidOperationException("the in-process tests' kernel is never reached");
        }
    }
}
