using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary><c>restore</c>: 0 every intent applied (or none recorded), 1 any failed, 2 invalid input.</summary>
internal static class RestoreCommand
{
    public static CliCommand Syntax { get; } = new(
        "restore",
        "Re-apply every recorded isolation (the intents in the state directory) whose namespace exists, each in one transaction with its recorded addresses (no DNS). One line per target; an intent whose namespace is gone is kept for when it comes back.",
        [CliOptions.StateDir, CliOptions.Json],
        HelpExamples.Restore,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("restore", line.Has(CliOptions.Json), environment.Out, environment.Error);
        IntentStore store;
        try
        {
            store = IntentStoreOption.Open(line)!;
        }
        catch (InvalidArgumentException exception)
        {
            output.Emit(new RestoreReport { Command = output.Command, Ok = false, Error = output.InvalidArgument(exception) });
            return ExitCodes.InvalidArguments;
        }

        var cliLogger = new StderrLogger(CommandOutput.ProgramName, line.Verbose, environment.Error);
        IReadOnlyList<RestoreResult> results;
        try
        {
            // A guard serving the state directory owns the tables: IsolationRestorer hands the pass to it.
            results = environment.Restore(store, cliLogger);
        }
        catch (IntentStoreException exception)
        {
            output.Emit(new RestoreReport { Command = output.Command, Ok = false, Error = output.Failure(exception, StateNames.StateDirectory) });
            return ExitCodes.Failed;
        }
        catch (IsolationException exception)
        {
            // The guard serving the directory could not be handed the pass (refused, no answer).
            output.Emit(new RestoreReport { Command = output.Command, Ok = false, Error = output.Failure(exception) });
            return ExitCodes.Failed;
        }

        var failures = new List<string>();
        foreach (RestoreResult result in results)
        {
            string where = result.Table is { } table ? $"inet {table} in {TargetText(result.Target)}" : result.FilePath;
            switch (result.Outcome)
            {
                case RestoreOutcome.Restored:
                    output.Say($"restored {where}");
                    break;
                case RestoreOutcome.Degraded:
                    output.Say($"degraded {where}: {result.Error}");
                    break;
                case RestoreOutcome.SkippedNamespaceGone:
                    output.Say($"skipped {where}: {result.Error} — namespace gone (intent kept)");
                    break;
                default:
                    string failure = $"failed {where}: {result.Error}";
                    output.Say(failure);
                    failures.Add(failure);
                    break;
            }
        }

        if (results.Count == 0)
        {
            output.Say($"nothing recorded in {store.Directory}");
        }

        CliErrorReport? error = null;
        if (failures.Count > 0)
        {
            // cli.md: every failure is exactly one stderr line, however many intents failed.
            string message = $"{failures.Count} of {results.Count} recorded isolations not restored: {string.Join("; ", failures)}; fix or remove the intent files in {store.Directory} and run restore again";
            output.Complain(message.ReplaceLineEndings(" "));
            error = new CliErrorReport { Kind = StateNames.RestoreFailed, Message = message.ReplaceLineEndings(" ") };
        }

        output.Emit(new RestoreReport { Command = output.Command, Ok = failures.Count == 0, Error = error, Targets = results });
        return failures.Count == 0 ? ExitCodes.Success : ExitCodes.Failed;
    }

    private static string TargetText(string target)
        => target == IsolationIntent.HostTarget ? "the host's namespace" : target;
}
