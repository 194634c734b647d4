using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>The uapi names of nf_tables' messages (enum nf_tables_msg_types, &lt;linux/netfilter/nf_tables.h&gt;).</summary>
internal static class NftMessageNames
{
    public static string Name(NftMessageType type) => type switch
    {
        NftMessageType.NewTable => "NFT_MSG_NEWTABLE",
        NftMessageType.GetTable => "NFT_MSG_GETTABLE",
        NftMessageType.DelTable => "NFT_MSG_DELTABLE",
        NftMessageType.NewChain => "NFT_MSG_NEWCHAIN",
        NftMessageType.GetChain => "NFT_MSG_GETCHAIN",
        NftMessageType.DelChain => "NFT_MSG_DELCHAIN",
        NftMessageType.NewRule => "NFT_MSG_NEWRULE",
        NftMessageType.GetRule => "NFT_MSG_GETRULE",
        NftMessageType.DelRule => "NFT_MSG_DELRULE",
        NftMessageType.NewSet => "NFT_MSG_NEWSET",
        NftMessageType.GetSet => "NFT_MSG_GETSET",
        NftMessageType.DelSet => "NFT_MSG_DELSET",
        NftMessageType.NewSetElem => "NFT_MSG_NEWSETELEM",
        NftMessageType.GetSetElem => "NFT_MSG_GETSETELEM",
        NftMessageType.DelSetElem => "NFT_MSG_DELSETELEM",
        NftMessageType.NewGen => "NFT_MSG_NEWGEN",
        NftMessageType.GetGen => "NFT_MSG_GETGEN",
        NftMessageType.Trace => "NFT_MSG_TRACE",
        NftMessageType.NewObj => "NFT_MSG_NEWOBJ",
        NftMessageType.GetObj => "NFT_MSG_GETOBJ",
        NftMessageType.DelObj => "NFT_MSG_DELOBJ",
        NftMessageType.GetObjReset => "NFT_MSG_GETOBJ_RESET",
        NftMessageType.NewFlowtable => "NFT_MSG_NEWFLOWTABLE",
        NftMessageType.GetFlowtable => "NFT_MSG_GETFLOWTABLE",
        NftMessageType.DelFlowtable => "NFT_MSG_DELFLOWTABLE",
        _ => $"NFT_MSG 0x{(byte)type:x2}",
    };
}
