using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The frame every kernel-facing command shares: resolve the arguments (invalid → exit 2 before the kernel is
/// touched), set up stderr logging, open the isolator on the target namespace, run the command's body, and turn an
/// <see cref="IsolationException"/> (a host name that did not resolve, a failed hand-over to the guard included) or
/// <see cref="IntentStoreException"/> into exit 1 with its one stderr line (and JSON report), a policy refused late into exit 2.
/// </summary>
internal static class CommandRunner
{
    /// <typeparam name="TReport">The command's JSON report, so a failure's report has the command's keys too.</typeparam>
    /// <param name="line">The parsed command line, to read --table and -v from.</param>
    /// <param name="environment">Where the kernel is reached and log lines go.</param>
    /// <param name="output">Where results, reports and the one-line errors go.</param>
    /// <param name="resolve">Validates every argument; throws <see cref="InvalidArgumentException"/>.</param>
    /// <param name="body">Runs the command against the open isolator and returns its exit code.</param>
    public static int Run<TReport>(
        ParsedCommandLine line,
        CommandEnvironment environment,
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

        var cliLogger = new StderrLogger(CommandOutput.ProgramName, line.Verbose, environment.Error);
        CliLogMessages.Starting(cliLogger, output.Command, target.Table, target.NamespaceLabel);
        try
        {
            using HostIsolator isolator = environment.OpenIsolator(target.Netns, new StderrLogger(nameof(HostIsolator), line.Verbose, environment.Error));
            return body(isolator, target, cliLogger);
        }
        catch (IsolationException exception)
        {
            return Fail(output.Failure(exception), StateNames.For(exception.StateAfter), ExitCodes.Failed);
        }
        catch (PolicyValidationException exception)
        {
            // Options the library could only refuse once it saw the kernel's table (a verification whose rollback could
            // not restore it); nothing was changed.
            return Fail(output.InvalidArgument(new InvalidArgumentException(PolicyArguments.OptionFor(exception.Field), exception.Value, exception.Reason)), null, ExitCodes.InvalidArguments);
        }
        catch (InvalidArgumentException exception)
        {
            // A host name resolved to an address the policy refuses (loopback, say): invalid input, nothing changed.
            return Fail(output.InvalidArgument(exception), null, ExitCodes.InvalidArguments);
        }
        catch (IntentStoreException exception)
        {
            // Raised before the kernel is touched (isolate) or after the table is gone (unisolate): the state is unknown here.
            return Fail(output.Failure(exception, StateNames.StateDirectory), null, ExitCodes.Failed);
        }

        int Fail(CliErrorReport error, string? state, int exitCode)
        {
            output.Emit(new TReport { Command = output.Command, Ok = false, State = state, Table = target.Table, Netns = target.Netns, Error = error });
            return exitCode;
        }
    }
}
