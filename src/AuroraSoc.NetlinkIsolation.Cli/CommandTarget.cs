using System.CommandLine;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>Which table in which namespace a command acts on, validated before anything touches the kernel.</summary>
internal sealed record CommandTarget(string Table, string? Netns)
{
    /// <summary>The namespace as people read it in log lines.</summary>
    public string NamespaceLabel => Netns ?? "the current network namespace";

    /// <summary>Reads and validates <c>--table</c>, <c>--netns</c> and <c>--netns-pid</c>.</summary>
    public static CommandTarget From(ParseResult parse, CliSyntax syntax)
    {
        string table = parse.GetValue(syntax.Table) ?? string.Empty;
        PolicyArguments.ValidateTable(table);
        return new CommandTarget(table, NamespaceTarget.Resolve(parse.GetValue(syntax.Netns), parse.GetValue(syntax.NetnsPid)));
    }
}
