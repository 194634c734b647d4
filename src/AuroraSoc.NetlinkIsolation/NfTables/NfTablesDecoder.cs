using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Decodes NFT_MSG_NEWTABLE / NEWCHAIN / NEWRULE messages (dump or GET replies) into the same objects that
/// encode them, through the same schemas. Bookkeeping attributes the kernel adds are read where modelled
/// (handle, use, flags) and otherwise ignored; unknown expressions are kept as <see cref="Expressions.OpaqueExpression"/>.
/// </summary>
internal static partial class NfTablesDecoder
{
    public static NftTable DecodeTable(in NetlinkMessage message)
    {
        RequireType(message, NftMessageType.NewTable);
        var table = new NftTable { Family = message.NfFamily() };
        NftTable.Description.Read(message.NfAttributes(), table, requireModeled: false);
        return table;
    }

    public static NftChain DecodeChain(in NetlinkMessage message)
    {
        RequireType(message, NftMessageType.NewChain);
        var chain = new NftChain { Family = message.NfFamily() };
        NftChain.Description.Read(message.NfAttributes(), chain, requireModeled: false);
        return chain;
    }

    public static NftRule DecodeRule(in NetlinkMessage message)
    {
        RequireType(message, NftMessageType.NewRule);
        var rule = new NftRule { Family = message.NfFamily() };
        NftRule.Description.Read(message.NfAttributes(), rule, requireModeled: false);
        return rule;
    }

    /// <summary>Decodes every NEWTABLE/NEWCHAIN/NEWRULE message in a buffer of concatenated messages (test vectors, fuzzing).</summary>
    public static NftTableSnapshot DecodeMessages(ReadOnlySpan<byte> messages, NfProtocolFamily family, string tableName)
    {
        var reader = new NetlinkMessageReader(messages);
        NftTable? table = null;
        var chains = new List<NftChain>();
        var rules = new List<NftRule>();
        var sets = new List<NftSet>();
        while (reader.Read())
        {
            NetlinkMessage message = reader.Current;
            if (message.Type >> 8 != NfNetlinkConstants.NFNL_SUBSYS_NFTABLES)
            {
                continue;
            }

            switch ((NftMessageType)(message.Type & 0xff))
            {
                case NftMessageType.NewTable:
                    NftTable t = DecodeTable(message);
                    if (t.Family == family && t.Name == tableName)
                    {
                        table = t;
                    }

                    break;
                case NftMessageType.NewChain:
                    NftChain c = DecodeChain(message);
                    if (c.Family == family && c.Table == tableName)
                    {
                        chains.Add(c);
                    }

                    break;
                case NftMessageType.NewRule:
                    NftRule r = DecodeRule(message);
                    if (r.Family == family && r.Table == tableName)
                    {
                        rules.Add(r);
                    }

                    break;
                case NftMessageType.NewSet or NftMessageType.NewSetElem:
                    CollectSetMessage(message, family, tableName, sets);
                    break;
            }
        }

        return table is null ? throw new NetlinkProtocolException($"no NFT_MSG_NEWTABLE for {tableName}.") : new NftTableSnapshot(table, chains, rules) { Sets = sets };
    }

    internal static void RequireType(in NetlinkMessage message, NftMessageType expected)
    {
        if (message.Type != NfNetlinkConstants.NfTablesType(expected))
        {
            throw new NetlinkProtocolException($"expected {NfNetlinkMessages.Name(NfNetlinkConstants.NfTablesType(expected))}, got {NfNetlinkMessages.Name(message.Type)}.");
        }
    }
}

/// <summary>A table with its chains and rules, as read from the kernel at one generation.</summary>
public sealed record NftTableSnapshot(NftTable Table, IReadOnlyList<NftChain> Chains, IReadOnlyList<NftRule> Rules)
{
    /// <summary>The table's named sets with their elements, in the kernel's order.</summary>
    internal IReadOnlyList<NftSet> Sets { get; init; } = [];

    /// <summary>The rules of <paramref name="chain"/>, in the kernel's order.</summary>
    public IEnumerable<NftRule> RulesOf(string chain)
    {
        foreach (NftRule rule in Rules)
        {
            if (rule.Chain == chain)
            {
                yield return rule;
            }
        }
    }

    /// <summary>The chain named <paramref name="name"/>, or null when the table has none.</summary>
    internal NftChain? ChainNamed(string name)
    {
        foreach (NftChain chain in Chains)
        {
            if (chain.Name == name)
            {
                return chain;
            }
        }

        return null;
    }
}
