using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// The frame every kernel-facing command shares: resolve the arguments (invalid → exit 2 before the kernel is
/// touched), set up stderr logging, open the isolator on the target namespace, run the command's body, and turn an
/// <see cref="IsolationException"/> or <see cref="IntentStoreException"/> into exit 1 with its one stderr line (and JSON report).
/// </summary>
internal static class CommandRunner
{
    /// <typeparam name="TReport">The command's JSON report, so a failure's report has the command's keys too.</typeparam>
    /// <param name="line">The parsed command line, to read --table and -v from.</param>
    /// <param name="output">Where results, reports and the one-line errors go.</param>
    /// <param name="resolve">Validates every argument; throws <see cref="InvalidArgumentException"/>.</param>
    /// <param name="body">Runs the command against the open isolator and returns its exit code.</param>
    public static int Run<TReport>(
        ParsedCommandLine line,
        CommandOutput output,
        Func<CommandTarget> resolve,
        Func<HostIsolator, CommandTarget, ILogger, int> body)
        where TReport : CliReport, new()
    {
        CommandTarget target;
        try
        {
            target = resolve();
        }
        catch (InvalidArgumentException exception)
        {
            CliErrorReport error = output.InvalidArgument(exception);
            output.Emit(new TReport { Command = output.Command, Ok = false, Table = line.Value(CliOptions.Table) ?? string.Empty, Error = error });

            return ExitCodes.InvalidArguments;
        }

        var cliLogger = new StderrLogger(CommandOutput.ProgramName, line.Verbose);
        CliLogMessages.Starting(cliLogger, output.Command, target.Table, target.NamespaceLabel);
        try
        {
            using HostIsolator isolator = HostIsolator.Open(target.Netns, new StderrLogger(nameof(HostIsolator), line.Verbose));
            return body(isolator, target, cliLogger);
        }
        catch (IsolationException exception)
        {
            CliErrorReport error = output.Failure(exception);
            output.Emit(new TReport { Command = output.Command, Ok = false, State = StateNames.For(exception.StateAfter), Table = target.Table, Netns = target.Netns, Error = error });

            return ExitCodes.Failed;
        }
        catch (GuardHandoffException exception)
        {
            CliErrorReport error = output.Failure(exception);
            output.Emit(new TReport { Command = output.Command, Ok = false, Table = target.Table, Netns = target.Netns, Error = error });

            return ExitCodes.Failed;
        }
        catch (IntentStoreException exception)
        {
            // Raised before the kernel is touched (isolate) or after the table is gone (unisolate): the state is unknown here.
            CliErrorReport error = output.Failure(exception);
            output.Emit(new TReport { Command = output.Command, Ok = false, Table = target.Table, Netns = target.Netns, Error = error });

            return ExitCodes.Failed;
        }
    }
}
