using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// <c>show</c>: prints the table exactly as <c>nft list table inet NAME</c> would and nothing else, so its output can
/// be diffed against nft's; with <c>--json</c>, the same listing as <c>text</c> next to the table's chains and rules.
/// 0 printed (degraded tables too: seeing them is the point), 3 not isolated, 1 failed.
/// </summary>
internal static class ShowCommand
{
    public static CliCommand Syntax { get; } = new(
        "show",
        "Print the installed table in nft syntax, decoded by this program (no nft binary); for a table it installed, byte-identical to 'nft list table inet NAME'. With --json: the listing as 'text', and its chains (hook, priority, policy) with their rules in nft syntax.",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid, CliOptions.Json],
        HelpExamples.Show,
        Run);

    private static int Run(ParsedCommandLine line, CommandEnvironment environment)
    {
        var output = new CommandOutput("show", line.Has(CliOptions.Json), environment.Out, environment.Error);
        return CommandRunner.Run<ShowReport>(line, environment, output, () => CommandTarget.From(line), (isolator, target, _) =>
        {
            IsolationStatus status = isolator.GetStatus(target.Table);
            if (status.Table is not { } table)
            {
                output.Complain($"not isolated: table inet {target.Table} does not exist in {target.NamespaceLabel}");
                output.Emit(new ShowReport { Command = output.Command, Ok = false, State = StateNames.For(IsolationState.NotIsolated), Table = target.Table, Netns = target.Netns });
                return ExitCodes.NotIsolated;
            }

            // An owned table names its owner's program as nft does: port id → socket inode → process.
            string text = NftSyntaxRenderer.Render(table, isolator.FindOwnerProgramName(table));
            if (!output.Json)
            {
                output.WriteVerbatim(text);
            }

            output.Emit(new ShowReport { Command = output.Command, Ok = true, State = StateNames.For(status.State), Table = target.Table, Netns = target.Netns, Text = text, Snapshot = table });
            return ExitCodes.Success;
        });
    }
}
