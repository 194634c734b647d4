using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary><c>status</c>: 0 isolated, 3 not isolated, 4 degraded, 1 failed, 2 invalid input.</summary>
internal static class StatusCommand
{
    public static CliCommand Syntax { get; } = new(
        "status",
        "Probe the kernel: isolated (exit 0), not isolated (3) or degraded (4: table present but a base chain missing or not policy drop). Names the reason on the table and the recorded intent (reason, when, by whom) and says when an isolation is recorded but not in force.",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.StateDir, CliOptions.Json],
        HelpExamples.Status,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("status", line.Has(CliOptions.Json), environment.Out, environment.Error);
        return CommandRunner.Run<StatusReport>(line, environment, output, () => CommandTarget.From(line), (isolator, target, _) =>
        {
            DurableIsolationStatus durable = new DurableIsolator(isolator, target.Store).GetStatus(target.Table);
            IsolationStatus status = durable.Kernel;
            AgentStaleness agents = AgentStaleness.Of(durable);
            string state = agents.Degrades(status.State) ? "degraded: " + agents.Problem : status.State switch
            {
                IsolationState.Isolated => "isolated",
                IsolationState.NotIsolated when durable.IsRecordedButNotInForce => "not isolated — isolation is recorded but not in force: run restore",
                IsolationState.NotIsolated => "not isolated",
                _ => "degraded: " + string.Join("; ", status.Problems),
            };
            // The kernel's answer stays the line's start and stays alone unless the intent adds what the kernel cannot say:
            // why it is isolated, or what should be there when the table is gone.
            output.Say(durable switch
            {
                { Intent: { } intent } when durable.IsRecordedButNotInForce || intent.Reason is not null => $"{state} ({IntentText.Describe(intent)})",
                { IntentError: { } error } => $"{state} (recorded intent unreadable: {error})",
                _ when status.Reason is { } reason => $"{state} (reason \"{reason}\")",
                _ => state,
            });
            output.Emit(
                new StatusReport
                {
                    Command = output.Command,
                    Ok = true,
                    State = StateNames.For(agents.StateOf(status.State)),
                    Table = target.Table,
                    Netns = target.Netns,
                    Problems = agents.ProblemsWith(status.Problems),
                    Rules = status.Table?.Rules.Count,
                    Chains = status.Table?.Chains.Count,
                    Generation = status.Generation,
                    Intent = durable.Intent,
                    Guarded = status.Table?.Table.Owner is not null, // NFTA_TABLE_OWNER: present exactly when the owner flag is set
                    Reason = status.Reason,
                    Agent = agents.Installed,
                    AgentStale = agents.Stale,
                });
            return agents.StateOf(status.State) switch
            {
                IsolationState.Isolated => ExitCodes.Success,
                IsolationState.NotIsolated => ExitCodes.NotIsolated,
                _ => ExitCodes.Degraded,
            };
        });
    }
}
