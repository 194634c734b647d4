namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>Which table in which namespace a command acts on, validated before anything touches the kernel.</summary>
internal sealed record CommandTarget(string Table, string? Netns)
{
    /// <summary>The namespace as people read it in log lines.</summary>
    public string NamespaceLabel => Netns ?? "the current network namespace";

    /// <summary>Reads and validates <c>--table</c>, <c>--netns</c> and <c>--netns-pid</c>.</summary>
    public static CommandTarget From(ParsedCommandLine line)
    {
        string table = line.Value(CliOptions.Table) ?? string.Empty;
        PolicyArguments.ValidateTable(table);
        return new CommandTarget(table, NamespaceTarget.Resolve(line.Value(CliOptions.Netns), line.Value(CliOptions.NetnsPid)));
    }
}
