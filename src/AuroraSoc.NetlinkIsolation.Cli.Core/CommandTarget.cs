using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// Which table in which namespace a command acts on, and where its intent is recorded, validated before anything
/// touches the kernel.
/// </summary>
/// <param name="Table">The nf_tables table (family inet).</param>
/// <param name="Netns">The namespace path; null for the namespace this process runs in.</param>
/// <param name="Store">The state directory's store; null with <c>--ephemeral</c> or for a command without <c>--state-dir</c>.</param>
internal sealed record CommandTarget(string Table, string? Netns, IntentStore? Store)
{
    /// <summary>The namespace as people read it in log lines.</summary>
    public string NamespaceLabel => Netns ?? "the current network namespace";

    /// <summary>Reads and validates <c>--table</c>, <c>--netns</c>, <c>--netns-pid</c>, <c>--state-dir</c> and <c>--ephemeral</c>.</summary>
    public static CommandTarget From(ParsedCommandLine line)
    {
        string table = line.Value(CliOptions.Table) ?? string.Empty;
        PolicyArguments.ValidateTable(table);
        string? netns = NamespaceTarget.Resolve(line.Value(CliOptions.Netns), line.Value(CliOptions.NetnsPid));
        IntentStore? store = line.Command?.Accepts(CliOptions.StateDir) == true ? IntentStoreOption.Open(line) : null;
        return new CommandTarget(table, netns, store);
    }
}
