using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// The rules of docs/ruleset.md for one policy, in the contract's order: table <c>inet NAME</c> with base chains
/// input, output and (unless forwarding is kept) forward, all <c>policy drop</c>. Built once per policy; writing
/// it into a batch allocates nothing.
/// </summary>
internal sealed partial class IsolationRuleset
{
    public const string InputChain = "input";
    public const string OutputChain = "output";
    public const string ForwardChain = "forward";

    /// <summary>The loopback interface is ifindex 1 in every network namespace (net/core/dev.c, loopback_net_init).</summary>
    private const uint LoopbackInterfaceIndex = 1;

    // ICMPv6 neighbour discovery types (RFC 4861 §4): router solicit/advert, neighbour solicit/advert.
    private const byte RouterSolicit = 133;
    private const byte RouterAdvert = 134;
    private const byte NeighborSolicit = 135;
    private const byte NeighborAdvert = 136;

    // RFC 4861 §7.1.1: a node must drop ND messages whose hop limit is not 255 (they came from off-link).
    private const byte NeighbourDiscoveryHopLimit = 255;

    private const int DnsPort = 53;
    private const int DhcpServerPort = 67;
    private const int DhcpClientPort = 68;
    private const int Dhcpv6ClientPort = 546;
    private const int Dhcpv6ServerPort = 547;

    // The messages of both isolate transactions, encoded once: they depend only on the policy, so isolating copies
    // them and stamps sequence numbers (docs/benchmarks.md, EncodeIsolateBatch). The replace transaction is the
    // removal, the table and the contents; the first isolate creates the table and its contents exclusively.
    private readonly EncodedMessages _removal;
    private readonly EncodedMessages _table;
    private readonly EncodedMessages _contents;
    private readonly EncodedMessages _creation;

    private IsolationRuleset(IsolationPolicy policy, NftTable table, IReadOnlyList<NftChain> chains, IReadOnlyList<NftRule> rules, BlockedRecordingLayout? recording = null)
    {
        Recording = recording;
        Policy = policy;
        Table = table;
        Chains = chains;
        Rules = rules;
        Sets = BuildSets(policy, withElements: true);
        _sets = EncodedMessages.Encode(AddSets);
        _removal = EncodedMessages.Encode(batch => AddTableRemoval(batch, table.Name));
        _table = EncodedMessages.Encode(batch => batch.AddTable(table));
        _contents = EncodedMessages.Encode(AddContents);
        _creation = EncodedMessages.Encode(AddCreation);
    }

    public IsolationPolicy Policy { get; }

    public NftTable Table { get; }

    public IReadOnlyList<NftChain> Chains { get; }

    /// <summary>Input rules, then output rules, each in the contract's order.</summary>
    public IReadOnlyList<NftRule> Rules { get; }

    public static IsolationRuleset Build(IsolationPolicy policy) => Build(policy, NftTableFlags.None);

    /// <summary>
    /// The ruleset of <paramref name="policy"/> in a table created with <paramref name="tableFlags"/>; the guard asks for
    /// <see cref="NftTableFlags.Owner"/> | <see cref="NftTableFlags.Persist"/> (guard.md). The rules are the same.
    /// </summary>
    public static IsolationRuleset Build(IsolationPolicy policy, NftTableFlags tableFlags) => Build(policy, tableFlags, BlockedEvidence.None);

    /// <summary>The ruleset, its recording (if the policy records) starting from <paramref name="evidence"/>.</summary>
    public static IsolationRuleset Build(IsolationPolicy policy, NftTableFlags tableFlags, BlockedEvidence evidence)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(evidence);
        string table = policy.TableName;
        const NfProtocolFamily family = NfProtocolFamily.Inet;

        var chains = new List<NftChain>
        {
            BaseChain(table, InputChain, NfInetHook.LocalIn),
            BaseChain(table, OutputChain, NfInetHook.LocalOut),
        };
        if (policy.BlockForwarding)
        {
            chains.Add(BaseChain(table, ForwardChain, NfInetHook.Forward));
        }

        var rules = new List<NftRule>();
        List<NftSet> sets = BuildSets(policy, withElements: false);

        // The recording's sets are numbered after the allowlist's: NFTA_SET_ID names a set within the whole batch.
        BlockedRecordingLayout? recording = policy.RecordBlocked ? new(table, policy.BlockForwarding, evidence, (uint)sets.Count) : null;
        void Add(string chain, Func<NftRuleBuilder, NftRuleBuilder> build) => rules.Add(build(new NftRuleBuilder()).Build(family, table, chain));

        NftCtState surviving = policy.Mode == IsolationMode.Keep ? NftCtState.Established | NftCtState.Related : NftCtState.Related;
        Endpoint[] endpoints = [.. policy.Collectors, .. policy.RulePeers];

        // input
        Add(InputChain, r => r.InputInterface(LoopbackInterfaceIndex).Accept());
        Add(InputChain, r => r.ConnectionState(surviving).Accept());
        foreach (byte type in (ReadOnlySpan<byte>)[RouterAdvert, NeighborSolicit, NeighborAdvert])
        {
            Add(InputChain, r => r.Icmpv6Type(type).Ip6HopLimit(NeighbourDiscoveryHopLimit).Accept());
        }

        foreach (Endpoint endpoint in endpoints)
        {
            Add(InputChain, r => EndpointMatch(r, endpoint, source: true).Accept());
        }

        AddSetLookups(rules, sets, table, InputChain, source: true);

        if (policy.Mode == IsolationMode.Strict)
        {
            // Keep mode already accepts DNS answers as established flows; strict mode needs them spelled out.
            foreach (ProtocolType protocol in DnsProtocols)
            {
                if (policy.Dns == DnsPolicy.AnyResolver)
                {
                    Add(InputChain, r => r.Ports(protocol, DnsPort, null).ConnectionState(NftCtState.Established).Accept());
                }
            }

            if (policy.Dns == DnsPolicy.ListedResolvers)
            {
                foreach (IPAddress resolver in policy.DnsResolvers)
                {
                    foreach (ProtocolType protocol in DnsProtocols)
                    {
                        Add(InputChain, r => r.Address(true, resolver, Endpoint.FullLength(resolver)).Ports(protocol, DnsPort, null).ConnectionState(NftCtState.Established).Accept());
                    }
                }
            }
        }

        if (policy.AllowDhcp)
        {
            Add(InputChain, r => r.Ports(ProtocolType.Udp, DhcpServerPort, DhcpClientPort).Accept());
            Add(InputChain, r => r.Ports(ProtocolType.Udp, Dhcpv6ServerPort, Dhcpv6ClientPort).Accept());
        }

        recording?.AddRules(rules, InputChain);

        // output
        Add(OutputChain, r => r.OutputInterface(LoopbackInterfaceIndex).Accept());
        Add(OutputChain, r => r.ConnectionState(surviving).Accept());
        foreach (byte type in (ReadOnlySpan<byte>)[RouterSolicit, NeighborSolicit, NeighborAdvert])
        {
            Add(OutputChain, r => r.Icmpv6Type(type).Ip6HopLimit(NeighbourDiscoveryHopLimit).Accept());
        }

        foreach (Endpoint endpoint in policy.Collectors)
        {
            if (policy.AgentIdentities.Count == 0)
            {
                Add(OutputChain, r => EndpointMatch(r, endpoint, source: false).Accept());
                continue;
            }

            // Bound to the agent: one rule per (collector, identity), collector order first, identities as given.
            foreach (AgentIdentity identity in policy.AgentIdentities)
            {
                Add(OutputChain, r => AgentMatch(EndpointMatch(r, endpoint, source: false), identity).Accept());
            }
        }

        foreach (Endpoint endpoint in policy.RulePeers)
        {
            Add(OutputChain, r => EndpointMatch(r, endpoint, source: false).Accept());
        }

        AddSetLookups(rules, sets, table, OutputChain, source: false);

        if (policy.Dns == DnsPolicy.AnyResolver)
        {
            foreach (ProtocolType protocol in DnsProtocols)
            {
                Add(OutputChain, r => r.Ports(protocol, null, DnsPort).Accept());
            }
        }
        else if (policy.Dns == DnsPolicy.ListedResolvers)
        {
            foreach (IPAddress resolver in policy.DnsResolvers)
            {
                foreach (ProtocolType protocol in DnsProtocols)
                {
                    Add(OutputChain, r => r.Address(false, resolver, Endpoint.FullLength(resolver)).Ports(protocol, null, DnsPort).Accept());
                }
            }
        }

        if (policy.AllowDhcp)
        {
            Add(OutputChain, r => r.Ports(ProtocolType.Udp, DhcpClientPort, DhcpServerPort).Accept());
            Add(OutputChain, r => r.Ports(ProtocolType.Udp, Dhcpv6ClientPort, Dhcpv6ServerPort).Accept());
        }

        recording?.AddRules(rules, OutputChain);
        if (policy.RejectTcp)
        {
            Add(OutputChain, r => r.TransportProtocol(ProtocolType.Tcp).RejectWithTcpReset());
        }

        if (policy.BlockForwarding)
        {
            recording?.AddRules(rules, ForwardChain);
        }

        return new IsolationRuleset(policy, new NftTable(family, table, (uint)tableFlags, comment: policy.Reason), chains.AsReadOnly(), rules.AsReadOnly(), recording);
    }

    /// <summary>
    /// Null when <paramref name="snapshot"/> is exactly this ruleset's table — its flags (and, for an owned table,
    /// <paramref name="owner"/> as NFTA_TABLE_OWNER), the chains with their hooks and policies, the rules in order —
    /// else the first difference in words ("chain input has policy accept").
    /// </summary>
    internal string? DescribeDifference(NftTableSnapshot snapshot, uint owner)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        NftTableFlags expectedFlags = Table.TableFlags;
        if (snapshot.Table.TableFlags != expectedFlags)
        {
            return $"table flags are {snapshot.Table.TableFlags} instead of {expectedFlags}";
        }

        if (snapshot.Table.Comment != Table.Comment)
        {
            return "table comment differs";
        }

        if ((expectedFlags & NftTableFlags.Owner) != 0 && snapshot.Table.Owner != owner)
        {
            return $"table is owned by netlink port {snapshot.Table.Owner?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "(none)"}";
        }

        if (snapshot.Chains.Count != Chains.Count)
        {
            return $"{snapshot.Chains.Count} chains instead of {Chains.Count}";
        }

        foreach (NftChain expected in Chains)
        {
            NftChain? found = snapshot.ChainNamed(expected.Name);
            if (found is null)
            {
                return $"chain {expected.Name} is missing";
            }

            if (found.Hook != expected.Hook || found.Type != expected.Type)
            {
                return $"chain {expected.Name} is not a {expected.Type} chain on its hook and priority";
            }

            if (found.Policy != expected.Policy)
            {
                return $"chain {expected.Name} has policy {(found.Policy == NfVerdict.Accept ? "accept" : found.Policy?.ToString() ?? "none")}";
            }
        }

        if (snapshot.Rules.Count != Rules.Count)
        {
            return $"{snapshot.Rules.Count} rules instead of {Rules.Count}";
        }

        // The dump lists rules chain by chain in the order the isolate batch added them.
        for (int i = 0; i < Rules.Count; i++)
        {
            if (!Rules[i].IsEquivalentTo(snapshot.Rules[i]))
            {
                return $"rule {i + 1} differs ({NftSyntaxRenderer.RenderRule(snapshot.Rules[i])} in chain {snapshot.Rules[i].Chain})";
            }
        }

        return DescribeRecordingDifference(snapshot) ?? DescribeSetDifference(snapshot);
    }

    /// <summary>This ruleset plus one more rule at the end: a test seam for batches the kernel must reject.</summary>
    internal IsolationRuleset WithAdditionalRule(NftRule rule) => new(Policy, Table, Chains, [.. Rules, rule], Recording);

    /// <summary>
    /// The isolate transaction (docs/ruleset.md, "Transactions"): BATCH_BEGIN, NEWTABLE, DELTABLE, NEWTABLE,
    /// chains, rules, BATCH_END.
    /// The first NEWTABLE makes the DELTABLE valid whether or not the table existed, so re-isolating swaps the
    /// whole table atomically and never leaves a moment with the host open (netlink-pitfalls.md §7). It carries no
    /// NFTA_TABLE_FLAGS: the kernel refuses a NEWTABLE whose flags differ from an existing table's in OWNER or
    /// PERSIST (nf_tables_updtable, EOPNOTSUPP), so flags 0 — what nft writes — would fail on a table a guard owns
    /// or left orphaned; without the attribute the existing table is kept as it is, whatever its flags.
    /// </summary>
    public void WriteIsolateBatch(NfTablesBatch batch, uint firstSequence)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Begin(firstSequence);
        _removal.AppendTo(batch);
        _table.AppendTo(batch);
        _contents.AppendTo(batch);
        batch.End();
    }

    /// <summary>Encodes the isolate transaction's object messages from the model, through the schemas.</summary>
    internal void WriteIsolateBatchFromModel(NfTablesBatch batch, uint firstSequence)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Begin(firstSequence);
        AddTableRemoval(batch, Table.Name);
        batch.AddTable(Table);
        AddContents(batch);
        batch.End();
    }

    /// <summary>The chains, then the rules, in the contract's order.</summary>
    private void AddContents(NfTablesBatch batch)
    {
        // Indexed loops: foreach over IReadOnlyList would allocate an enumerator.
        for (int i = 0; i < Chains.Count; i++)
        {
            batch.AddChain(Chains[i]);
        }

        _sets.AppendTo(batch);
        Recording?.WriteLedgers(batch);
        for (int i = 0; i < Rules.Count; i++)
        {
            batch.AddRule(Rules[i]);
        }
    }

    /// <summary>Messages in the isolate batch: begin, 3 table messages, chains, rules, end.</summary>
    public int IsolateMessageCount => 2 + 3 + _contents.Count;

    /// <summary>
    /// The unisolate transaction: NEWTABLE, DELTABLE — deletes only this table, succeeds when absent. The NEWTABLE
    /// carries no flags, for the reason given at <see cref="WriteIsolateBatch"/>.
    /// </summary>
    public static void WriteUnisolateBatch(NfTablesBatch batch, uint firstSequence, string tableName)
    {
        ArgumentNullException.ThrowIfNull(batch);
        batch.Begin(firstSequence);
        AddTableRemoval(batch, tableName);
        batch.End();
    }

    /// <summary>
    /// NEWTABLE without flags, then DELTABLE: removes the table whether or not it exists, and whatever flags it has
    /// (a NEWTABLE naming other flags than an owned or orphaned table's is refused). Every transaction that replaces or
    /// deletes an isolation table — isolate, unisolate, a rollback — starts with these two messages.
    /// </summary>
    internal static void AddTableRemoval(NfTablesBatch batch, string tableName)
    {
        batch.AddTable(ExistingTable(tableName));
        batch.DeleteTable(NfProtocolFamily.Inet, tableName);
    }

    public const int UnisolateMessageCount = 4;

    private static readonly ProtocolType[] DnsProtocols = [ProtocolType.Udp, ProtocolType.Tcp];

    /// <summary>The last table <see cref="ExistingTable"/> made: every unisolate and isolate of one table asks for the same one.</summary>
    private static NftTable? s_existingTable;

    /// <summary>
    /// The table as the first NEWTABLE of a transaction names it: created if absent, kept as it is if present. Only read
    /// by the encoder, so one instance per name serves every batch and a repeated unisolate allocates nothing.
    /// </summary>
    private static NftTable ExistingTable(string tableName)
    {
        NftTable? cached = Volatile.Read(ref s_existingTable);
        if (cached is null || !string.Equals(cached.Name, tableName, StringComparison.Ordinal))
        {
            cached = new NftTable(NfProtocolFamily.Inet, tableName, flags: null);
            Volatile.Write(ref s_existingTable, cached);
        }

        return cached;
    }

    private static NftChain BaseChain(string table, string name, NfInetHook hook)
        => new(NfProtocolFamily.Inet, table, name, "filter", new NftChainHook(hook, 0), NfVerdict.Drop);

    private static NftRuleBuilder AgentMatch(NftRuleBuilder rule, AgentIdentity identity) => identity.KindCode switch
    {
        AgentIdentityKind.Cgroup => rule.SocketCgroupV2((uint)identity.CgroupLevel, identity.Id),
        AgentIdentityKind.User => rule.SocketUser((uint)identity.Id),
        _ => rule.SocketGroup((uint)identity.Id),
    };

    private static NftRuleBuilder EndpointMatch(NftRuleBuilder rule, Endpoint endpoint, bool source)
    {
        rule.Address(source, endpoint.Address, endpoint.PrefixLength);
        if (endpoint.Port is int port)
        {
            rule.Ports(ProtocolType.Tcp, source ? port : null, source ? null : port);
        }

        return rule;
    }
}
