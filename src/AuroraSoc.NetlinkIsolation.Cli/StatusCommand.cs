using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>status</c>: 0 isolated, 3 not isolated, 4 degraded, 1 failed, 2 invalid input.</summary>
internal static class StatusCommand
{
    public static CliCommand Syntax { get; } = new(
        "status",
        "Probe the kernel: isolated (exit 0), not isolated (3) or degraded (4: table present but a base chain missing or not policy drop).",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.Json],
        HelpExamples.Status,
        Run);

    private static int Run(ParsedCommandLine line)
    {
        var output = new CommandOutput("status", line.Has(CliOptions.Json), Console.Out, Console.Error);
        return CommandRunner.Run<StatusReport>(line, output, () => CommandTarget.From(line), (isolator, target, _) =>
        {
            IsolationStatus status = isolator.GetStatus(target.Table);
            output.Say(status.State switch
            {
                IsolationState.Isolated => "isolated",
                IsolationState.NotIsolated => "not isolated",
                _ => "degraded: " + string.Join("; ", status.Problems),
            });
            output.Emit(
                new StatusReport
                {
                    Command = output.Command,
                    Ok = true,
                    State = StateNames.For(status.State),
                    Table = target.Table,
                    Netns = target.Netns,
                    Problems = status.Problems,
                    Rules = status.Table?.Rules.Count,
                    Chains = status.Table?.Chains.Count,
                    Generation = status.Generation,
                });
            return status.State switch
            {
                IsolationState.Isolated => ExitCodes.Success,
                IsolationState.NotIsolated => ExitCodes.NotIsolated,
                _ => ExitCodes.Degraded,
            };
        });
    }
}
