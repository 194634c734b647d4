using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary><c>unisolate</c>: 0 done (also when not isolated), 1 failed, 2 invalid input.</summary>
internal static class UnisolateCommand
{
    public static CliCommand Syntax { get; } = new(
        "unisolate",
        "Release the namespace: delete the isolation table in one transaction, then forget its recorded intent. Succeeds and changes nothing when not isolated.",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.StateDir, CliOptions.Json],
        HelpExamples.Unisolate,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("unisolate", line.Has(CliOptions.Json), environment.Out, environment.Error);
        return CommandRunner.Run<UnisolateReport>(line, environment, output, () => CommandTarget.From(line), (isolator, target, cliLogger) =>
        {
            long started = Stopwatch.GetTimestamp();
            // A guard serving the state directory owns the table: DurableIsolator hands the change to it. Whether
            // anything was removed comes from the probe it makes first (no second round trip before the commit).
            bool wasIsolated = new DurableIsolator(isolator, target.Store, cliLogger).Unisolate(target.Table);
            long elapsed = (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
            output.Say(wasIsolated
                ? $"unisolated: table inet {target.Table} deleted in one transaction ({elapsed} µs)"
                : $"not isolated: table inet {target.Table} was not present; nothing changed");
            output.Emit(
                new UnisolateReport
                {
                    Command = output.Command,
                    Ok = true,
                    State = StateNames.For(IsolationState.NotIsolated),
                    Table = target.Table,
                    Netns = target.Netns,
                    Changed = wasIsolated,
                    ElapsedMicroseconds = elapsed,
                });
            return ExitCodes.Success;
        });
    }
}
