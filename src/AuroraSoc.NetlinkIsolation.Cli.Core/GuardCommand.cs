using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// <c>guard</c>: keeps every recorded isolation in force until SIGTERM or SIGINT, then exits 0 and leaves every table in
/// place; exits 1 when it cannot start, 2 on invalid input. Its options are checked here, in every executable; how it
/// runs is the executable's <see cref="GuardRunner"/>.
/// </summary>
internal static class GuardCommand
{
    public static CliCommand Syntax { get; } = new(
        "guard",
        "Keep every recorded isolation in force until stopped: own each table where the kernel keeps owned tables (PERSIST), watch nf_tables' change events and re-commit any table another process changes, and take hand-overs from isolate, unisolate and restore. Stopping never un-isolates.",
        [CliOptions.StateDir, CliOptions.MonitorOnly, CliOptions.VerifyInterval],
        "Example:\n  aurorasoc-isolate guard --state-dir /var/lib/aurorasoc-isolate\n\nExit codes: 0 stopped by SIGTERM/SIGINT (tables stay), 1 could not start, 2 invalid input.",
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        GuardArguments arguments;
        try
        {
            arguments = Parse(line);
        }
        catch (InvalidArgumentException exception)
        {
            new CommandOutput("guard", json: false, environment.Out, environment.Error).InvalidArgument(exception);
            return ExitCodes.InvalidArguments;
        }

        return environment.RunGuard(arguments, environment.Error);
    }

    /// <summary>Reads and checks <c>--state-dir</c>, <c>--monitor-only</c> and <c>--verify-interval</c>.</summary>
    internal static GuardArguments Parse(ParsedCommandLine line)
    {
        TimeSpan? interval = null;
        if (line.Value(CliOptions.VerifyInterval) is { } seconds)
        {
            if (!int.TryParse(seconds, NumberStyles.None, CultureInfo.InvariantCulture, out int whole) || whole <= 0)
            {
                throw new InvalidArgumentException("--verify-interval", seconds, "a whole number of seconds, at least 1");
            }

            interval = TimeSpan.FromSeconds(whole);
        }

        return new GuardArguments(IntentStoreOption.Directory(line), line.Has(CliOptions.MonitorOnly), interval, line.Verbose);
    }
}
