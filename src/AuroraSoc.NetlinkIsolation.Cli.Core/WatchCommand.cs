namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// <c>watch</c>: each blocked packet the kernel copies to the table's NFLOG group, as it happens — one line for people or
/// one JSON object per line — until --count, --timeout, SIGINT or SIGTERM; then how many were printed, suppressed by the
/// rate limit and lost. 0 on those ends; 3 not isolated; 1 when the table records nothing, another listener holds the
/// group, or reading failed. Its syntax is here, with every command's; what it runs is the executable's
/// <see cref="WatchRunner"/> (<see cref="WatchSession"/> in aurorasoc-isolate-guard).
/// </summary>
internal static class WatchCommand
{
    public static CliCommand Syntax { get; } = new(
        "watch",
        "Print each packet the isolation blocks as it happens, with the process that sent it when known (needs isolate --record-blocked; at most 10 per second per chain, bursts of 20).",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.StateDir, CliOptions.Count, CliOptions.Timeout, CliOptions.Json],
        HelpExamples.Watch,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment) => environment.RunWatch(line, environment);
}
