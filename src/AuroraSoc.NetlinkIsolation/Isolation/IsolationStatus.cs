using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>The state of one namespace's isolation table, read at a single ruleset generation.</summary>
public sealed class IsolationStatus
{
    internal IsolationStatus(IsolationState state, string tableName, NftTableSnapshot? table, IReadOnlyList<string> problems, uint generation)
    {
        State = state;
        TableName = tableName;
        Table = table;
        Problems = problems;
        Generation = generation;
    }

    /// <summary>Isolated, not isolated, or degraded (see <see cref="IsolationState"/>).</summary>
    public IsolationState State { get; }

    /// <summary>The table that was read.</summary>
    public string TableName { get; }

    /// <summary>The decoded table, chains and rules; null when not isolated.</summary>
    public NftTableSnapshot? Table { get; }

    /// <summary>Why the state is degraded, e.g. "chain input is missing"; empty otherwise.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Why the namespace is isolated: the table's nft comment (<c>--reason</c>), or null when it has none.</summary>
    public string? Reason => Table?.Table.Comment;

    /// <summary>The nf_tables generation id the snapshot was read at.</summary>
    public uint Generation { get; }

    internal static IsolationStatus FromSnapshot(string tableName, NftTableSnapshot snapshot, uint generation)
    {
        var problems = new List<string>();
        foreach ((string name, NfInetHook hook) in (ReadOnlySpan<(string, NfInetHook)>)[(IsolationRuleset.InputChain, NfInetHook.LocalIn), (IsolationRuleset.OutputChain, NfInetHook.LocalOut)])
        {
            NftChain? chain = snapshot.ChainNamed(name);
            if (chain is null)
            {
                problems.Add($"chain {name} is missing");
            }
            else if (chain.Hook is not { } attached || attached.HookNumber != hook)
            {
                problems.Add($"chain {name} is not attached to the {name} hook");
            }
            else if (chain.Policy != NfVerdict.Drop)
            {
                problems.Add($"chain {name} has policy accept instead of drop");
            }
        }

        return new IsolationStatus(problems.Count == 0 ? IsolationState.Isolated : IsolationState.Degraded, tableName, snapshot, problems, generation);
    }
}
