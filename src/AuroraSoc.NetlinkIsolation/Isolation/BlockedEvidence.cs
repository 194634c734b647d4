using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// What a recording table has counted so far — each chain's counter and each ledger's elements with their counters —
/// read from the kernel so that a re-commit of the same recording creates them with these values instead of zero.
/// </summary>
internal sealed class BlockedEvidence
{
    private readonly Dictionary<string, (ulong Packets, ulong Bytes)> _counters;
    private readonly Dictionary<string, IReadOnlyList<NftSetElement>> _ledgers;

    private BlockedEvidence(Dictionary<string, (ulong, ulong)> counters, Dictionary<string, IReadOnlyList<NftSetElement>> ledgers)
    {
        _counters = counters;
        _ledgers = ledgers;
    }

    /// <summary>Nothing counted: what a new recording starts from.</summary>
    public static BlockedEvidence None { get; } = new([], []);

    public bool IsEmpty => _counters.Count == 0 && _ledgers.Count == 0;

    /// <summary>The chain's counter; (0, 0) when none was read.</summary>
    public (ulong Packets, ulong Bytes) CounterOf(string chain) => _counters.TryGetValue(chain, out var value) ? value : (0, 0);

    /// <summary>The elements the ledger held, with their counters; empty when none were read.</summary>
    public IReadOnlyList<NftSetElement> ElementsOf(string ledger) => _ledgers.TryGetValue(ledger, out var elements) ? elements : [];

    /// <summary>
    /// The evidence in a table read with its sets: the counter of each chain's recording rule
    /// (<see cref="BlockedRecording.ChainCounterOf"/>) and the elements of every ledger. Empty when the table records nothing.
    /// </summary>
    public static BlockedEvidence From(NftTableSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var counters = new Dictionary<string, (ulong, ulong)>();
        foreach (NftRule rule in snapshot.Rules)
        {
            if (BlockedRecording.ChainCounterOf(rule) is { } counter && !counters.ContainsKey(rule.Chain))
            {
                counters[rule.Chain] = (counter.Packets ?? 0, counter.Bytes ?? 0);
            }
        }

        var ledgers = new Dictionary<string, IReadOnlyList<NftSetElement>>();
        foreach (NftSet set in snapshot.Sets)
        {
            if (!set.IsAnonymous && BlockedRecording.ChainOfLedger(set.Name, out _) is not null && set.Elements.Count > 0)
            {
                // Created again as they were: the key and a counter holding the values (nft_counter_do_init).
                var elements = new NftSetElement[set.Elements.Count];
                for (int i = 0; i < elements.Length; i++)
                {
                    (ulong packets, ulong bytes) = set.Elements[i].Counted;
                    elements[i] = new NftSetElement(set.Elements[i].Key ?? [], statement: CounterExpression.StartingAt(packets, bytes));
                }

                ledgers[set.Name] = elements;
            }
        }

        return counters.Count == 0 && ledgers.Count == 0 ? None : new BlockedEvidence(counters, ledgers);
    }
}
