namespace AuroraSoc.NetlinkIsolation.Isolation;

// Evidence survives the project's own re-commits: a recording table replaced by a recording table starts from what the
// old one counted (docs/ruleset.md, "Recording what isolation blocked").
public sealed partial class HostIsolator
{
    /// <summary>
    /// <paramref name="ruleset"/> with the counters and ledger elements of the table it replaces, when both record. What is
    /// counted between this read and the commit (a few hundred microseconds) is not carried over: nf_tables has no way to
    /// move a counter from the old table into the new one inside the transaction.
    /// </summary>
    private IsolationRuleset CarryEvidenceOver(IsolationRuleset ruleset)
    {
        if (ruleset.Recording is null || ReadSnapshot(ruleset.Policy.TableName) is not { } current)
        {
            return ruleset;
        }

        BlockedEvidence evidence = BlockedEvidence.From(current);
        return evidence.IsEmpty ? ruleset : ruleset.WithEvidence(evidence);
    }

    /// <summary>
    /// What the isolation in <paramref name="tableName"/> has blocked so far (counters and ledgers, read in one generation);
    /// null when the table does not exist. <see cref="BlockedTraffic.IsRecording"/> is false for a table installed
    /// without <see cref="IsolationPolicy.RecordBlocked"/>.
    /// </summary>
    public BlockedTraffic? ReadBlockedTraffic(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationPolicy.ValidateTableName(tableName);
        lock (_gate)
        {
            return ReadConsistentStatus(tableName).Table is { } snapshot ? BlockedTraffic.From(snapshot) : null;
        }
    }
}
