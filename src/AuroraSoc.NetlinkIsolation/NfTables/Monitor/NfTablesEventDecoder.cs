using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Monitor;

/// <summary>Decodes the messages of NFNLGRP_NFTABLES into <see cref="NfTablesEvent"/>s.</summary>
internal static class NfTablesEventDecoder
{
    // Attribute 1 names the table in every object message: NFTA_TABLE_NAME, NFTA_CHAIN_TABLE, NFTA_RULE_TABLE,
    // NFTA_SET_TABLE, NFTA_SET_ELEM_LIST_TABLE, NFTA_OBJ_TABLE, NFTA_FLOWTABLE_TABLE (nf_tables.h).
    private const ushort TableAttribute = 1;

    /// <summary>Decodes every nf_tables event in one datagram into <paramref name="events"/>; other messages are skipped.</summary>
    public static void DecodeDatagram(ReadOnlySpan<byte> datagram, List<NfTablesEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var reader = new NetlinkMessageReader(datagram);
        while (reader.Read())
        {
            if (TryDecode(reader.Current, out NfTablesEvent change))
            {
                events.Add(change);
            }
        }
    }

    /// <summary>Decodes one message; false when it is not an nf_tables message.</summary>
    public static bool TryDecode(in NetlinkMessage message, out NfTablesEvent change)
    {
        change = default;
        if (message.Type >> 8 != NfNetlinkConstants.NFNL_SUBSYS_NFTABLES)
        {
            return false;
        }

        var type = (NftMessageType)(message.Type & 0xff);
        NfProtocolFamily family = message.NfFamily();
        string? table = null;
        string? chain = null;
        NfVerdict? policy = null;
        uint? generation = null;
        uint? processId = null;
        string? processName = null;

        NetlinkAttributeReader attributes = message.NfAttributes();
        while (attributes.Read())
        {
            ushort attribute = attributes.Type;
            switch (type)
            {
                case NftMessageType.NewGen:
                    switch (attribute)
                    {
                        case (ushort)NftGenAttribute.Id:
                            generation = attributes.GetUInt32BigEndian();
                            break;
                        case (ushort)NftGenAttribute.ProcessId:
                            processId = attributes.GetUInt32BigEndian();
                            break;
                        case (ushort)NftGenAttribute.ProcessName:
                            processName = attributes.GetString();
                            break;
                    }

                    break;
                case NftMessageType.NewChain or NftMessageType.DelChain:
                    if (attribute == TableAttribute)
                    {
                        table = attributes.GetString();
                    }
                    else if (attribute == (ushort)NftChainAttribute.Name)
                    {
                        chain = attributes.GetString();
                    }
                    else if (attribute == (ushort)NftChainAttribute.Policy)
                    {
                        policy = (NfVerdict)attributes.GetUInt32BigEndian();
                    }

                    break;
                case NftMessageType.NewRule or NftMessageType.DelRule:
                    if (attribute == TableAttribute)
                    {
                        table = attributes.GetString();
                    }
                    else if (attribute == (ushort)NftRuleAttribute.Chain)
                    {
                        chain = attributes.GetString();
                    }

                    break;
                default:
                    if (attribute == TableAttribute)
                    {
                        table = attributes.GetString();
                    }

                    break;
            }
        }

        change = new NfTablesEvent(type, family, message.Header.PortId, table, chain, policy, generation, processId, processName);
        return true;
    }
}
