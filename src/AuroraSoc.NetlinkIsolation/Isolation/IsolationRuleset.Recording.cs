using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// What --record-blocked adds to a ruleset, and how a read table is compared with it.
internal sealed partial class IsolationRuleset
{
    /// <summary>The recording's ledgers and rule preludes; null when the policy records nothing.</summary>
    internal BlockedRecordingLayout? Recording { get; }

    /// <summary>This ruleset with its counters and ledgers starting from <paramref name="evidence"/> instead of zero.</summary>
    internal IsolationRuleset WithEvidence(BlockedEvidence evidence) => Build(Policy, Table.TableFlags, evidence);

    /// <summary>
    /// Null when every ledger is there as declared. Elements and counter values are not compared: they change with every
    /// blocked packet, which is recording at work, not tampering.
    /// </summary>
    private string? DescribeRecordingDifference(NftTableSnapshot snapshot)
    {
        if (Recording is null)
        {
            return null;
        }

        foreach (NftSet expected in Recording.Ledgers)
        {
            NftSet? found = null;
            foreach (NftSet set in snapshot.Sets)
            {
                if (set.Name == expected.Name)
                {
                    found = set;
                }
            }

            if (found is null)
            {
                return $"ledger {expected.Name} is missing";
            }

            if (found.KeyType != expected.KeyType || found.KeyLength != expected.KeyLength || found.Size != expected.Size
                || (found.Flags & ~Interop.Constants.NftSetFlags.Expression) != expected.Flags)
            {
                return $"ledger {expected.Name} is not declared as the recording declares it";
            }
        }

        return null;
    }
}
