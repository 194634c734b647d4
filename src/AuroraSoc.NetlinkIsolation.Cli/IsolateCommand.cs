using System.CommandLine;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>isolate</c>: 0 isolated, 1 failed (nothing changed), 2 invalid input (nothing changed).</summary>
internal static class IsolateCommand
{
    public static int Run(ParseResult parse, CliSyntax syntax)
    {
        var output = new CommandOutput("isolate", parse.GetValue(syntax.Json), Console.Out, Console.Error);
        IsolationPolicy? policy = null;
        CommandTarget Resolve()
        {
            CommandTarget target = CommandTarget.From(parse, syntax);
            policy = new PolicyArguments(
                parse.GetValue(syntax.Collector) ?? [],
                parse.GetValue(syntax.AllowPeer) ?? [],
                parse.GetValue(syntax.AllowDns),
                parse.GetValue(syntax.DnsServer) ?? [],
                parse.GetValue(syntax.AllowDhcp),
                parse.GetValue(syntax.Mode),
                parse.GetValue(syntax.KeepForwarding),
                parse.GetValue(syntax.NoReject),
                parse.GetValue(syntax.Table) ?? string.Empty).ToPolicy();
            return target;
        }

        return CommandRunner.Run(parse, syntax, output, CliJsonContext.Output.IsolateReport, Resolve, (isolator, target, cliLogger) =>
        {
            CliLogMessages.Policy(cliLogger, policy!.Collectors.Count, policy.AllowedPeers.Count, policy.Dns, policy.DnsResolvers.Count, policy.AllowDhcp, policy.Mode, policy.BlockForwarding, policy.RejectTcp);
            IsolationResult result = isolator.Isolate(policy);
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
                },
                CliJsonContext.Output.IsolateReport);
            return ExitCodes.Success;
        });
    }
}
