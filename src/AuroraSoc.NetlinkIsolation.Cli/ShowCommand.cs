using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// <c>show</c>: prints the table exactly as <c>nft list table inet NAME</c> would and nothing else, so its output can
/// be diffed against nft's. 0 printed (degraded tables too: seeing them is the point), 3 not isolated, 1 failed.
/// </summary>
internal static class ShowCommand
{
    public static CliCommand Syntax { get; } = new(
        "show",
        "Print the installed table in nft syntax, decoded by this program (no nft binary); for a table it installed, byte-identical to 'nft list table inet NAME'.",
        [CliOptions.Table, CliOptions.Netns, CliOptions.NetnsPid],
        HelpExamples.Show,
        Run);

    private static int Run(ParsedCommandLine line)
    {
        var output = new CommandOutput("show", json: false, Console.Out, Console.Error);
        return CommandRunner.Run<CliReport>(line, output, () => CommandTarget.From(line), (isolator, target, _) =>
        {
            IsolationStatus status = isolator.GetStatus(target.Table);
            if (status.Table is not { } table)
            {
                output.Complain($"not isolated: table inet {target.Table} does not exist in {target.NamespaceLabel}");
                return ExitCodes.NotIsolated;
            }

            // An owned table names its owner's program as nft does: port id → socket inode → process.
            output.WriteVerbatim(NftSyntaxRenderer.Render(table, isolator.FindOwnerProgramName(table)));
            return ExitCodes.Success;
        });
    }
}
