using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// The first isolate's transaction: additions only, for a namespace that has no isolation table yet.
internal sealed partial class IsolationRuleset
{
    /// <summary>
    /// The first isolate's transaction (docs/ruleset.md, "Transactions"), for a namespace whose GETTABLE probe found
    /// no table: BATCH_BEGIN, NEWTABLE and NEWCHAINs with NLM_F_CREATE | NLM_F_EXCL, rules naming their chain by
    /// NFTA_RULE_CHAIN_ID, BATCH_END — additions only. A commit that deletes anything leaves nf_tables destroy work
    /// that the next release of a netfilter socket waits for, an RCU grace period (nft_rcv_nl_event,
    /// nf_tables_trans_destroy_flush_work); this one leaves none. When the table appeared after the probe, the kernel
    /// refuses the batch with EEXIST on the NEWTABLE (message 1) and nothing changed: the replace transaction
    /// (<see cref="WriteIsolateBatch"/>) follows (docs/adr/0006-additions-only-first-isolate.md). nfnetlink goes on
    /// through a refused batch's messages before it aborts, and rules appended to the existing table's chains by
    /// name were seen by concurrent dumps meanwhile; exclusive chains and chain ids leave that table untouched.
    /// </summary>
    public void WriteFirstIsolateBatch(NfTablesBatch batch, uint firstSequence)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Begin(firstSequence);
        _creation.AppendTo(batch);
        batch.End();
    }

    /// <summary>Messages in the first isolate's batch: begin, the creating NEWTABLE, chains, rules, end.</summary>
    public int FirstIsolateMessageCount => 2 + _creation.Count;

    /// <summary>The table, its chains and its rules, each created exclusively: chain i has NFTA_CHAIN_ID i + 1.</summary>
    private void AddCreation(NfTablesBatch batch)
    {
        batch.CreateTable(Table);
        for (int i = 0; i < Chains.Count; i++)
        {
            batch.CreateChain(Chains[i], (uint)i + 1);
        }

        _sets.AppendTo(batch);
        Recording?.WriteLedgers(batch);
        for (int i = 0; i < Rules.Count; i++)
        {
            batch.AddRule(Rules[i], ChainIdOf(Rules[i].Chain));
        }
    }

    private uint ChainIdOf(string chain)
    {
        for (int i = 0; i < Chains.Count; i++)
        {
            if (Chains[i].Name == chain)
            {
                return (uint)i + 1;
            }
        }

        throw new InvalidOperationException($"rule of chain {chain}, which the ruleset does not have");
    }
}
