using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>What one commit by another process changed in one guarded table, in the words of the tamper report.</summary>
/// <param name="Table">The table's name.</param>
/// <param name="Described">The distinct descriptions of its events, in the order they came, e.g. "chain input deleted".</param>
internal sealed record TableChanges(string Table, string Described)
{
    /// <summary>The tables <paramref name="changes"/> touch, in the order each first changed; events without a table concern none.</summary>
    public static List<TableChanges> Of(IReadOnlyList<NfTablesEvent> changes)
    {
        var tables = new List<string>();
        foreach (NfTablesEvent change in changes)
        {
            if (change.Table is { } changed && !tables.Contains(changed))
            {
                tables.Add(changed);
            }
        }

        var result = new List<TableChanges>(tables.Count);
        foreach (string name in tables)
        {
            var descriptions = new List<string>();
            foreach (NfTablesEvent change in changes)
            {
                if (change.Table != name)
                {
                    continue;
                }

                string description = change.Describe();
                if (!descriptions.Contains(description))
                {
                    descriptions.Add(description);
                }
            }

            result.Add(new TableChanges(name, string.Join(", ", descriptions)));
        }

        return result;
    }
}
