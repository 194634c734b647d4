using System.CommandLine;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>status</c>: 0 isolated, 3 not isolated, 4 degraded, 1 failed, 2 invalid input.</summary>
internal static class StatusCommand
{
    public static int Run(ParseResult parse, CliSyntax syntax)
    {
        var output = new CommandOutput("status", parse.GetValue(syntax.Json), Console.Out, Console.Error);
        return CommandRunner.Run(parse, syntax, output, CliJsonContext.Output.StatusReport, () => CommandTarget.From(parse, syntax), (isolator, target, _) =>
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
                },
                CliJsonContext.Output.StatusReport);
            return status.State switch
            {
                IsolationState.Isolated => ExitCodes.Success,
                IsolationState.NotIsolated => ExitCodes.NotIsolated,
                _ => ExitCodes.Degraded,
            };
        });
    }
}
