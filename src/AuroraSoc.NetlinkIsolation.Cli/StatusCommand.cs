using System.CommandLine;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary><c>status</c>: 0 isolated, 3 not isolated, 4 degraded, 1 failed, 2 invalid input.</summary>
internal static class StatusCommand
{
    public static int Run(ParseResult parse, CliSyntax syntax)
    {
        var output = new CommandOutput("status", parse.GetValue(syntax.Json), Console.Out, Console.Error);
        string requestedTable = parse.GetValue(syntax.Table) ?? string.Empty;
        CommandTarget target;
        try
        {
            target = CommandTarget.From(parse, syntax);
        }
        catch (InvalidArgumentException exception)
        {
            output.Emit(new StatusReport { Command = output.Command, Ok = false, Table = requestedTable, Error = output.InvalidArgument(exception) }, CliJsonContext.Output.StatusReport);
            return ExitCodes.InvalidArguments;
        }

        using ILoggerFactory logging = CliLogging.Create(parse.GetValue(syntax.Verbose));
        ILogger logger = logging.CreateLogger<HostIsolator>();
        ILogger cliLogger = logging.CreateLogger(CommandOutput.ProgramName);
        CliLogMessages.Starting(cliLogger, output.Command, target.Table, target.NamespaceLabel);
        try
        {
            using HostIsolator isolator = HostIsolator.Open(target.Netns, logger);
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
        }
        catch (IsolationException exception)
        {
            output.Emit(
                new StatusReport { Command = output.Command, Ok = false, State = StateNames.For(exception.StateAfter), Table = target.Table, Netns = target.Netns, Error = output.Failure(exception) },
                CliJsonContext.Output.StatusReport);
            return ExitCodes.Failed;
        }
    }
}
