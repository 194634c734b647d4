using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// The uapi names of the message types an nf_tables connection sends and receives, for errors and logs:
/// nfnetlink's batch markers (&lt;linux/netfilter/nfnetlink.h&gt;), NFT_MSG_* (&lt;linux/netfilter/nf_tables.h&gt;), and
/// netlink's own control messages.
/// </summary>
internal static class NfTablesMessageNames
{
    public static string Name(ushort messageType)
    {
        switch (messageType)
        {
            case NfNetlinkConstants.NFNL_MSG_BATCH_BEGIN: return "NFNL_MSG_BATCH_BEGIN";
            case NfNetlinkConstants.NFNL_MSG_BATCH_END: return "NFNL_MSG_BATCH_END";
        }

        if (messageType >> 8 != NfNetlinkConstants.NFNL_SUBSYS_NFTABLES)
        {
            return NetlinkMessageNames.Name(messageType);
        }

        return (NfTablesMessageType)(messageType & 0xff) switch
        {
            NfTablesMessageType.NewTable => "NFT_MSG_NEWTABLE",
            NfTablesMessageType.GetTable => "NFT_MSG_GETTABLE",
            NfTablesMessageType.DelTable => "NFT_MSG_DELTABLE",
            NfTablesMessageType.NewChain => "NFT_MSG_NEWCHAIN",
            NfTablesMessageType.GetChain => "NFT_MSG_GETCHAIN",
            NfTablesMessageType.DelChain => "NFT_MSG_DELCHAIN",
            NfTablesMessageType.NewRule => "NFT_MSG_NEWRULE",
            NfTablesMessageType.GetRule => "NFT_MSG_GETRULE",
            NfTablesMessageType.DelRule => "NFT_MSG_DELRULE",
            NfTablesMessageType.NewSet => "NFT_MSG_NEWSET",
            NfTablesMessageType.GetSet => "NFT_MSG_GETSET",
            NfTablesMessageType.DelSet => "NFT_MSG_DELSET",
            NfTablesMessageType.NewSetElem => "NFT_MSG_NEWSETELEM",
            NfTablesMessageType.GetSetElem => "NFT_MSG_GETSETELEM",
            NfTablesMessageType.DelSetElem => "NFT_MSG_DELSETELEM",
            NfTablesMessageType.NewGen => "NFT_MSG_NEWGEN",
            NfTablesMessageType.GetGen => "NFT_MSG_GETGEN",
            NfTablesMessageType.Trace => "NFT_MSG_TRACE",
            NfTablesMessageType.NewObj => "NFT_MSG_NEWOBJ",
            NfTablesMessageType.GetObj => "NFT_MSG_GETOBJ",
            NfTablesMessageType.DelObj => "NFT_MSG_DELOBJ",
            NfTablesMessageType.GetObjReset => "NFT_MSG_GETOBJ_RESET",
            NfTablesMessageType.NewFlowtable => "NFT_MSG_NEWFLOWTABLE",
            NfTablesMessageType.GetFlowtable => "NFT_MSG_GETFLOWTABLE",
            NfTablesMessageType.DelFlowtable => "NFT_MSG_DELFLOWTABLE",
            _ => $"NFT_MSG 0x{messageType & 0xff:x2}",
        };
    }
}
