using System.CommandLine;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>isolate</c>: 0 isolated, 1 failed (nothing changed), 2 invalid input (nothing changed).</summary>
internal static class IsolateCommand
{
    public static int Run(ParseResult parse, CliSyntax syntax)
    {
        var output = new CommandOutput("isolate", parse.GetValue(syntax.Json), Console.Out, Console.Error);
        string requestedTable = parse.GetValue(syntax.Table) ?? string.Empty;
        CommandTarget target;
        IsolationPolicy policy;
        try
        {
            target = CommandTarget.From(parse, syntax);
            policy = new PolicyArguments(
                parse.GetValue(syntax.Collector) ?? [],
                parse.GetValue(syntax.AllowPeer) ?? [],
                parse.GetValue(syntax.AllowDns),
                parse.GetValue(syntax.DnsServer) ?? [],
                parse.GetValue(syntax.AllowDhcp),
                parse.GetValue(syntax.Mode),
                parse.GetValue(syntax.KeepForwarding),
                parse.GetValue(syntax.NoReject),
                requestedTable).ToPolicy();
        }
        catch (InvalidArgumentException exception)
        {
            output.Emit(new IsolateReport { Command = output.Command, Ok = false, Table = requestedTable, Error = output.InvalidArgument(exception) }, CliJsonContext.Output.IsolateReport);
            return ExitCodes.InvalidArguments;
        }

        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(syntax.Verbose));
        ILogger logger = logging.CreateLogger<HostIsolator>();
        ILogger cliLogger = logging.CreateLogger(CommandOutput.ProgramName);
        CliLogMessages.Starting(cliLogger, output.Command, target.Table, target.NamespaceLabel);
        CliLogMessages.Policy(cliLogger, policy.Collectors.Count, policy.AllowedPeers.Count, policy.Dns, policy.DnsResolvers.Count, policy.AllowDhcp, policy.Mode, policy.BlockForwarding, policy.RejectTcp);
        try
        {
            using HostIsolator isolator = HostIsolator.Open(target.Netns, logger);
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
        }
        catch (IsolationException exception)
        {
            output.Emit(
                new IsolateReport { Command = output.Command, Ok = false, State = StateNames.For(exception.StateAfter), Table = target.Table, Netns = target.Netns, Error = output.Failure(exception) },
                CliJsonContext.Output.IsolateReport);
            return ExitCodes.Failed;
        }
    }
}
