using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>isolate</c>: 0 isolated, 1 failed (nothing changed), 2 invalid input (nothing changed).</summary>
internal static class IsolateCommand
{
    public static CliCommand Syntax { get; } = new(
        "isolate",
        "Quarantine the namespace: install the isolation table (ruleset.md) in one nf_tables transaction. Idempotent; re-running with another policy swaps the table atomically.",
        [
            CliOptions.Collector, CliOptions.AllowPeer, CliOptions.AllowDns, CliOptions.DnsServer, CliOptions.AllowDhcp, CliOptions.Mode,
            CliOptions.KeepForwarding, CliOptions.NoReject, CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.StateDir, CliOptions.Ephemeral, CliOptions.Json,
        ],
        HelpExamples.Isolate,
        Run);

    private static int Run(ParsedCommandLine line)
    {
        var output = new CommandOutput("isolate", line.Has(CliOptions.Json), Console.Out, Console.Error);
        IsolationPolicy? policy = null;
        CommandTarget Resolve()
        {
            CommandTarget target = CommandTarget.From(line);
            policy = new PolicyArguments(
                line.Values(CliOptions.Collector),
                line.Values(CliOptions.AllowPeer),
                line.Has(CliOptions.AllowDns),
                line.Values(CliOptions.DnsServer),
                line.Has(CliOptions.AllowDhcp),
                line.Value(CliOptions.Mode),
                line.Has(CliOptions.KeepForwarding),
                line.Has(CliOptions.NoReject),
                line.Value(CliOptions.Table) ?? string.Empty).ToPolicy();
            return target;
        }

        return CommandRunner.Run<IsolateReport>(line, output, Resolve, (isolator, target, cliLogger) =>
        {
            CliLogMessages.Policy(cliLogger, policy!.Collectors.Count, policy.AllowedPeers.Count, policy.Dns, policy.DnsResolvers.Count, policy.AllowDhcp, policy.Mode, policy.BlockForwarding, policy.RejectTcp);
            // A guard serving the state directory owns the table: hand the change to it (same result, never EPERM).
            IsolationResult result;
            if (target.Store is { } store && GuardClient.TryConnect(store.Directory) is { } guard)
            {
                using (guard)
                {
                    result = guard.Isolate(IsolationIntent.Create(target.Netns, policy));
                }
            }
            else
            {
                result = new DurableIsolator(isolator, target.Store, cliLogger).Isolate(policy);
            }
            output.Say($"isolated: table inet {result.TableName}, {result.RuleCount} rules in one transaction ({result.ElapsedMicroseconds} µs)");
            output.Emit(
                new IsolateReport
                {
                    Command = output.Command,
                    Ok = true,
                    State = StateNames.For(IsolationState.Isolated),
                    Table = target.Table,
                    Netns = target.Netns,
                    Rules = result.RuleCount,
                    Chains = result.ChainCount,
                    BatchBytes = result.BatchBytes,
                    ElapsedMicroseconds = result.ElapsedMicroseconds,
                });
            return ExitCodes.Success;
        });
    }
}
