using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// The objects <c>--record-blocked</c> adds to one ruleset: a ledger per recording chain and family, and per chain —
/// after its last allow rule, before its reject rule — a counter with a rate-limited NFLOG copy, and six ledger updates
/// (TCP, UDP by port, the rest by address and protocol, for IPv4 and IPv6). Each update is a rule of its own, since a
/// full set stops the rule it is in, and ends with the verdict the chain gives that packet anyway (drop; reject with tcp
/// reset for TCP in output): a recorded packet leaves the chain at its update instead of walking the other five, and one
/// a full ledger could not take falls through to the chain's own end (docs/ruleset.md, "Recording what isolation
/// blocked"; docs/benchmarks.md, "The cost of recording"). Set ids follow nft 1.0.6: after the sets declared before them
/// (a large allowlist's), the ledgers in declaration order.
/// </summary>
internal sealed class BlockedRecordingLayout
{
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    // nft 1.0.6's NFTA_SET_USERDATA (its own annotations: key byte order and how to print the key), copied from its
    // bytes in tests/TestVectors/record-blocked.request.hex so that nft lists the sets as it lists its own.
    private static readonly byte[] LedgerUserData = Convert.FromHexString("000400000000030800040d0000000100");

    private readonly List<NftSet> _ledgers = [];
    private readonly Dictionary<string, uint> _ledgerIds = [];
    private readonly BlockedEvidence _evidence;

    /// <param name="table">The isolation table the recording lives in.</param>
    /// <param name="forwardChain">Whether the table has a forward chain to record.</param>
    /// <param name="evidence">Counts carried over from the table being replaced (empty on a first isolate).</param>
    /// <param name="firstSetId">The NFTA_SET_ID of the last set the batch declares before the ledgers (0: none).</param>
    public BlockedRecordingLayout(string table, bool forwardChain, BlockedEvidence evidence, uint firstSetId = 0)
    {
        _evidence = evidence;
        uint nextSetId = firstSetId;
        Table = table;
        NflogGroup = BlockedRecording.NflogGroup(table);
        foreach (string chain in BlockedRecording.RecordingChains)
        {
            if (chain == IsolationRuleset.ForwardChain && !forwardChain)
            {
                continue;
            }

            foreach (AddressFamily family in Families)
            {
                string name = BlockedRecording.LedgerName(chain, family);
                uint id = ++nextSetId;
                _ledgerIds[name] = id;
                _ledgers.Add(new NftSet(
                    BlockedRecording.TableFamily, table, name, NftSetFlags.Eval, BlockedRecording.KeyType(family), (uint)BlockedRecording.KeyLength(family),
                    id, null, LedgerUserData, BlockedRecording.LedgerSize, CounterExpression.Zero()));
            }
        }
    }

    public string Table { get; }

    public ushort NflogGroup { get; }

    /// <summary>The ledgers, in declaration order.</summary>
    public IReadOnlyList<NftSet> Ledgers => _ledgers;

    /// <summary>The sets the recording declares: its ledgers.</summary>
    public int SetCount => _ledgers.Count;

    /// <summary>Appends the recording rules of <paramref name="chain"/> to <paramref name="rules"/>.</summary>
    public void AddRules(List<NftRule> rules, string chain)
    {
        (ulong packets, ulong bytes) = _evidence.CounterOf(chain);
        // One rule: the counter before the limit counts every packet; the limit stops only the log. Before the updates,
        // since each of them ends the chain for what it records.
        rules.Add(new NftRuleBuilder()
            .Counter(CounterExpression.StartingAt(packets, bytes))
            .RateLimitedLog(BlockedRecording.LogPerSecond, BlockedRecording.LogBurst, NflogGroup)
            .Build(BlockedRecording.TableFamily, Table, chain));

        // The other end: the source of what came in, the destination of what went out or through.
        bool source = chain == IsolationRuleset.InputChain;
        foreach (AddressFamily family in Families)
        {
            string ledger = BlockedRecording.LedgerName(chain, family);
            uint ledgerId = _ledgerIds[ledger];
            NfProtocolFamily nfproto = family == AddressFamily.InterNetworkV6 ? NfProtocolFamily.IPv6 : NfProtocolFamily.IPv4;
            foreach (ProtocolType protocol in (ReadOnlySpan<ProtocolType>)[ProtocolType.Tcp, ProtocolType.Udp])
            {
                // The family first, then the protocol: a packet of another one leaves the rule at its first comparison
                // (nft lists the rule as `update @LEDGER { ip daddr . meta l4proto . tcp dport } …`, both implied).
                NftRuleBuilder update = new NftRuleBuilder()
                    .NetworkProtocol(nfproto)
                    .TransportProtocol(protocol)
                    .LedgerUpdate(family, source, withPort: true, ledger, ledgerId);
                // The output chain resets blocked TCP (IsolationRuleset's last output rule); every other end drops.
                rules.Add((protocol == ProtocolType.Tcp && chain == IsolationRuleset.OutputChain ? update.RejectWithTcpReset() : update.Drop())
                    .Build(BlockedRecording.TableFamily, Table, chain));
            }

            // Protocols without ports, keyed with port 0 (`th dport` would read ICMP's checksum).
            rules.Add(new NftRuleBuilder()
                .NetworkProtocol(nfproto)
                .TransportProtocolOtherThan(ProtocolType.Tcp)
                .TransportProtocolOtherThan(ProtocolType.Udp)
                .LedgerUpdate(family, source, withPort: false, ledger, ledgerId)
                .Drop()
                .Build(BlockedRecording.TableFamily, Table, chain));
        }
    }

    /// <summary>The ledgers, then the elements carried over into them (nft declares sets after the chains, before the rules).</summary>
    public void WriteLedgers(NfTablesBatch batch)
    {
        foreach (NftSet ledger in _ledgers)
        {
            batch.AddSet(ledger);
        }

        foreach (NftSet ledger in _ledgers)
        {
            batch.AddSetElements(ledger, _evidence.ElementsOf(ledger.Name));
        }
    }
}
