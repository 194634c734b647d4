using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// Reading a table's named sets and their elements.
internal sealed partial class NfTablesConnection
{
    /// <summary>The table's named sets, each with every element (a GETSET dump, then one GETSETELEM dump per set).</summary>
    /// <remarks>
    /// Unlike the chain and rule dumps, which filter by table name, a set dump looks its table up (and an element dump
    /// its set) and answers ENOENT when it vanished after the GETTABLE (nf_tables_getset, nft_ctx_init_from_setattr):
    /// that reads as no sets, and the caller's generation check sees that the ruleset changed and reads again.
    /// </remarks>
    public List<NftSet> ReadSets(NfProtocolFamily family, string tableName)
    {
        try
        {
            return ReadSetsOf(family, tableName);
        }
        catch (NetlinkException exception) when (exception.Errno == Errno.ENOENT)
        {
            return [];
        }
    }

    private List<NftSet> ReadSetsOf(NfProtocolFamily family, string tableName)
    {
        List<NftSet> sets = Dump(NftMessageType.GetSet, family, (ushort)NftSetAttribute.Table, tableName, NfTablesDecoder.DecodeSet);
        sets.RemoveAll(s => s.Table != tableName || s.Family != family);
        foreach (NftSet set in sets)
        {
            // GETSETELEM needs both the table and the set (nf_tables_getsetelem: NFTA_SET_ELEM_LIST_TABLE and _SET).
            NetlinkWriter writer = _netlink.BeginRequest(NfNetlinkConstants.NfTablesType(NftMessageType.GetSetElem), NetlinkMessageFlags.Dump, out MessageToken token);
            writer.WriteNfGenMessage(family, 0);
            writer.WriteString((ushort)NftSetElementListAttribute.Table, tableName);
            writer.WriteString((ushort)NftSetElementListAttribute.Set, set.Name);
            writer.EndMessage(token);
            List<NftSetElementList> lists = _netlink.Dump(NfTablesDecoder.DecodeSetElements);
            var elements = new List<NftSetElement>();
            foreach (NftSetElementList list in lists)
            {
                elements.AddRange(list.Elements);
            }

            set.Elements = elements;
        }

        return sets;
    }
}
