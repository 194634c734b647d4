using System.Net.Sockets;
using System.Runtime.CompilerServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// The objects <c>--record-blocked</c> adds to one ruleset: a ledger per recording chain and family, and per chain —
/// after its last allow rule, before its reject rule — a counter rule, four ledger updates (TCP/UDP by port, the rest
/// by address and protocol, for IPv4 and IPv6; each update a rule of its own, since a full set stops the rule it is
/// in) and a rate-limited NFLOG rule. Set ids follow nft 1.0.6: after the sets declared before them (a large
/// allowlist's), the ledgers in declaration order, then one anonymous <c>{ tcp, udp }</c> per update rule, numbered on.
/// </summary>
internal sealed class BlockedRecordingLayout
{
    private static readonly AddressFamily[] Families = [AddressFamily.InterNetwork, AddressFamily.InterNetworkV6];

    // nft 1.0.6's NFTA_SET_USERDATA (its own annotations: key byte order and how to print the key), copied from its
    // bytes in tests/TestVectors/record-blocked.request.hex so that nft lists the sets as it lists its own.
    private static readonly byte[] LedgerUserData = Convert.FromHexString("000400000000030800040d0000000100");
    private static readonly byte[] ProtocolSetUserData = Convert.FromHexString("000401000000030e0004090000000106000410000000");

    // inet_proto is nft datatype 12, one byte; the kernel pads nothing in a one-byte key (IPPROTO_TCP 6, IPPROTO_UDP 17).
    private const uint InetProtoType = 12;
    private static readonly NftSetElement[] PortProtocols = [new([(byte)ProtocolType.Tcp]), new([(byte)ProtocolType.Udp])];

    private readonly List<NftSet> _ledgers = [];
    private readonly Dictionary<string, uint> _ledgerIds = [];
    private readonly ConditionalWeakTable<NftRule, NftSet> _anonymousSets = [];
    private readonly BlockedEvidence _evidence;
    private readonly uint _firstSetId;
    private uint _nextSetId;

    /// <param name="table">The isolation table the recording lives in.</param>
    /// <param name="forwardChain">Whether the table has a forward chain to record.</param>
    /// <param name="evidence">Counts carried over from the table being replaced (empty on a first isolate).</param>
    /// <param name="firstSetId">The NFTA_SET_ID of the last set the batch declares before the ledgers (0: none).</param>
    public BlockedRecordingLayout(string table, bool forwardChain, BlockedEvidence evidence, uint firstSetId = 0)
    {
        _evidence = evidence;
        _firstSetId = firstSetId;
        _nextSetId = firstSetId;
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
                uint id = ++_nextSetId;
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

    /// <summary>The sets the recording declares: its ledgers and one anonymous set per ledger update rule.</summary>
    public int SetCount => (int)(_nextSetId - _firstSetId);

    /// <summary>Appends the recording rules of <paramref name="chain"/> to <paramref name="rules"/>.</summary>
    public void AddRules(List<NftRule> rules, string chain)
    {
        (ulong packets, ulong bytes) = _evidence.CounterOf(chain);
        rules.Add(new NftRuleBuilder().Counter(CounterExpression.StartingAt(packets, bytes)).Build(BlockedRecording.TableFamily, Table, chain));

        // The other end: the source of what came in, the destination of what went out or through.
        bool source = chain == IsolationRuleset.InputChain;
        foreach (AddressFamily family in Families)
        {
            string ledger = BlockedRecording.LedgerName(chain, family);
            foreach (bool withPort in (ReadOnlySpan<bool>)[true, false])
            {
                uint setId = ++_nextSetId;
                // The family first: a packet of the other family leaves the rule at its first comparison, before the
                // set lookup (nft compiles `meta nfproto ipv4 meta l4proto { tcp, udp } update …` so, and lists it
                // without the `meta nfproto`, which the address implies; docs/benchmarks.md, "The cost of recording").
                NftRule rule = new NftRuleBuilder()
                    .NetworkProtocol(family == AddressFamily.InterNetworkV6 ? NfProtocolFamily.IPv6 : NfProtocolFamily.IPv4)
                    .TransportProtocolInSet(setId, inverted: !withPort)
                    .LedgerUpdate(family, source, withPort, ledger, _ledgerIds[ledger])
                    .Build(BlockedRecording.TableFamily, Table, chain);
                _anonymousSets.Add(rule, new NftSet(
                    BlockedRecording.TableFamily, Table, NftSet.AnonymousName, NftSetFlags.Anonymous | NftSetFlags.Constant, InetProtoType, 1,
                    setId, null, ProtocolSetUserData, (uint)PortProtocols.Length));
                rules.Add(rule);
            }
        }

        rules.Add(new NftRuleBuilder().RateLimitedLog(BlockedRecording.LogPerSecond, BlockedRecording.LogBurst, NflogGroup).Build(BlockedRecording.TableFamily, Table, chain));
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

    /// <summary>The anonymous set a rule looks up, created just before the rule as nft does; nothing for other rules.</summary>
    public void WriteRulePrelude(NfTablesBatch batch, NftRule rule)
    {
        if (_anonymousSets.TryGetValue(rule, out NftSet? set))
        {
            batch.AddSet(set);
            batch.AddSetElements(set, PortProtocols);
        }
    }
}
