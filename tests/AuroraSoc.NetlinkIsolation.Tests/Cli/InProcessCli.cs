using AuroraSoc.NetlinkIsolation.Cli.Core;

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
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var run = new CliRun();
        var environment = new CommandEnvironment
        {
            Out = stdout,
            Error = stderr,
            RunGuard = (arguments, _) =>
            {
                run.Guard = arguments;
                return ExitCodes.Success;
            },
            OpenIsolator = (netns, _) =>
            {
                run.KernelRequests.Add($"open isolator in {netns ?? "the current namespace"}");
                throw new InvalidOperationException("the in-process tests' kernel is never reached");
            },
            Restore = (store, _) =>
            {
                run.KernelRequests.Add($"restore {store.Directory}");
                throw new InvalidOperationException("the in-process tests' kernel is never reached");
            },
        };

        run.ExitCode = IsolateCli.Run(args, environment);
        run.StandardOutput = stdout.ToString();
        run.StandardError = stderr.ToString();
        return run;
    }

    /// <summary>A command line written as one string, arguments separated by '|' (so a value can hold spaces or be empty).</summary>
    public static CliRun RunLine(string commandLine) => Run(commandLine.Length == 0 ? [] : commandLine.Split('|'));
}
