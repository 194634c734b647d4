using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// What a namespace's isolation table was before a change, kept so that one transaction can put it back exactly
/// (<c>--verify-collector</c>): the table as the kernel had it — decoded through the same schemas that encode it,
/// unknown expressions kept as raw bytes, comments and nft's user data kept — or no table at all.
/// </summary>
internal sealed class RollbackState
{
    private RollbackState(string tableName, IsolationState state, NftTableSnapshot? table)
    {
        TableName = tableName;
        State = state;
        Table = table;
    }

    public string TableName { get; }

    /// <summary>The state the namespace was in, and is in again once the restore transaction is committed.</summary>
    public IsolationState State { get; }

    /// <summary>The table, its chains and rules as read before the change; null when there was no table.</summary>
    public NftTableSnapshot? Table { get; }

    /// <summary>Messages in the restore transaction, BATCH_BEGIN and BATCH_END included.</summary>
    public int MessageCount => Table is null ? IsolationRuleset.UnisolateMessageCount : 2 + 3 + Table.Chains.Count + Table.Rules.Count;

    /// <summary>
    /// The state to return to, from a status read before the change and the names of the table's sets. Throws
    /// <see cref="InvalidOperationException"/> naming what cannot be restored when the table holds objects this project
    /// does not read back — sets and maps (anonymous ones included, as <c>tcp dport { 80, 443 }</c> makes), stateful
    /// objects or flowtables (the table's use count exceeds its chains; anonymous sets do not count there), or an
    /// ingress chain (its device list is not decoded) — so that nothing is changed on the promise of a rollback that
    /// could not keep it.
    /// </summary>
    public static RollbackState Capture(IsolationStatus before, IReadOnlyCollection<string> sets)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(sets);
        if (before.Table is not { } snapshot)
        {
            return new RollbackState(before.TableName, before.State, null);
        }

        if (sets.Count > 0)
        {
            throw new InvalidOperationException(
                $"table inet {before.TableName} holds {sets.Count} set(s) or map(s) ({string.Join(", ", sets)}), which a rollback could not restore; unisolate first, or isolate without collector verification");
        }

        if (snapshot.Table.Use is uint use && use > snapshot.Chains.Count)
        {
            throw new InvalidOperationException(
                $"table inet {before.TableName} holds {use - snapshot.Chains.Count} set(s), map(s), stateful object(s) or flowtable(s) besides its chains, which a rollback could not restore; unisolate first, or isolate without collector verification");
        }

        foreach (NftChain ingress in snapshot.Chains)
        {
            if (ingress.Hook?.HookNumber == NfInetHook.Ingress)
            {
                throw new InvalidOperationException(
                    $"chain {ingress.Name} of table inet {before.TableName} is an ingress chain, whose devices a rollback could not restore; unisolate first, or isolate without collector verification");
            }
        }

        return new RollbackState(before.TableName, before.State, snapshot);
    }

    /// <summary>
    /// The restore transaction. With a previous table: NEWTABLE, DELTABLE, then the table, its chains and its rules
    /// as they were — the same atomic swap as isolate, so there is no moment without a table. Without one: NEWTABLE,
    /// DELTABLE, which deletes the table whether or not it exists.
    /// </summary>
    public void WriteRestoreBatch(NfTablesBatch batch, uint firstSequence)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (Table is not { } snapshot)
        {
            IsolationRuleset.WriteUnisolateBatch(batch, firstSequence, TableName);
            return;
        }

        NftTable table = snapshot.Table;
        batch.Begin(firstSequence);
        // The same removal as isolate's (a guard rolls back a table it owns), then the table as it was.
        IsolationRuleset.AddTableRemoval(batch, table.Name);
        batch.AddTable(table.ToNewTable());

        // Chains first: a rule may jump to any chain of the table. The dumps list chains and, within each chain,
        // rules in their order, so appending in dump order rebuilds the same order.
        foreach (NftChain chain in snapshot.Chains)
        {
            batch.AddChain(chain.ToNewChain());
        }

        foreach (NftRule rule in snapshot.Rules)
        {
            batch.AddRule(rule.ToNewRule());
        }

        batch.End();
    }
}
