using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

// The constants of sets, set elements and the expressions that record blocked traffic.
internal static partial class NativeHeaderTable
{
    private static void MapRecordingConstants(List<NativeHeaderEntry> entries)
    {
        Map(entries, nameof(NftSetFlags),
            ("None", "0"), ("Anonymous", "NFT_SET_ANONYMOUS"), ("Constant", "NFT_SET_CONSTANT"), ("Interval", "NFT_SET_INTERVAL"), ("Map", "NFT_SET_MAP"),
            ("Timeout", "NFT_SET_TIMEOUT"), ("Eval", "NFT_SET_EVAL"), ("Object", "NFT_SET_OBJECT"), ("Concat", "NFT_SET_CONCAT"), ("Expression", "NFT_SET_EXPR"));
        Map(entries, nameof(NftSetDescriptionAttribute), ("Size", "NFTA_SET_DESC_SIZE"), ("Concat", "NFTA_SET_DESC_CONCAT"));
        Map(entries, nameof(NftSetElementListAttribute),
            ("Table", "NFTA_SET_ELEM_LIST_TABLE"), ("Set", "NFTA_SET_ELEM_LIST_SET"), ("Elements", "NFTA_SET_ELEM_LIST_ELEMENTS"), ("SetId", "NFTA_SET_ELEM_LIST_SET_ID"));
        Map(entries, nameof(NftSetElementAttribute),
            ("Key", "NFTA_SET_ELEM_KEY"), ("Data", "NFTA_SET_ELEM_DATA"), ("Flags", "NFTA_SET_ELEM_FLAGS"), ("Timeout", "NFTA_SET_ELEM_TIMEOUT"),
            ("Expiration", "NFTA_SET_ELEM_EXPIRATION"), ("UserData", "NFTA_SET_ELEM_USERDATA"), ("Expression", "NFTA_SET_ELEM_EXPR"), ("Pad", "NFTA_SET_ELEM_PAD"),
            ("ObjectReference", "NFTA_SET_ELEM_OBJREF"), ("KeyEnd", "NFTA_SET_ELEM_KEY_END"), ("Expressions", "NFTA_SET_ELEM_EXPRESSIONS"));
        Map(entries, nameof(NftLookupAttribute),
            ("Set", "NFTA_LOOKUP_SET"), ("SourceRegister", "NFTA_LOOKUP_SREG"), ("DestinationRegister", "NFTA_LOOKUP_DREG"), ("SetId", "NFTA_LOOKUP_SET_ID"),
            ("Flags", "NFTA_LOOKUP_FLAGS"));
        Map(entries, nameof(NftDynsetAttribute),
            ("SetName", "NFTA_DYNSET_SET_NAME"), ("SetId", "NFTA_DYNSET_SET_ID"), ("Operation", "NFTA_DYNSET_OP"), ("KeySourceRegister", "NFTA_DYNSET_SREG_KEY"),
            ("DataSourceRegister", "NFTA_DYNSET_SREG_DATA"), ("Timeout", "NFTA_DYNSET_TIMEOUT"), ("Expression", "NFTA_DYNSET_EXPR"), ("Pad", "NFTA_DYNSET_PAD"),
            ("Flags", "NFTA_DYNSET_FLAGS"), ("Expressions", "NFTA_DYNSET_EXPRESSIONS"));
        Map(entries, nameof(NftCounterAttribute), ("Bytes", "NFTA_COUNTER_BYTES"), ("Packets", "NFTA_COUNTER_PACKETS"), ("Pad", "NFTA_COUNTER_PAD"));
        Map(entries, nameof(NftLimitAttribute),
            ("Rate", "NFTA_LIMIT_RATE"), ("Unit", "NFTA_LIMIT_UNIT"), ("Burst", "NFTA_LIMIT_BURST"), ("Type", "NFTA_LIMIT_TYPE"), ("Flags", "NFTA_LIMIT_FLAGS"),
            ("Pad", "NFTA_LIMIT_PAD"));
        Map(entries, nameof(NftLogAttribute),
            ("Group", "NFTA_LOG_GROUP"), ("Prefix", "NFTA_LOG_PREFIX"), ("SnapLength", "NFTA_LOG_SNAPLEN"), ("QueueThreshold", "NFTA_LOG_QTHRESHOLD"),
            ("Level", "NFTA_LOG_LEVEL"), ("Flags", "NFTA_LOG_FLAGS"));
        SameNames(entries, nameof(NfLogConstants),
            "NFNL_SUBSYS_ULOG", "NFULNL_MSG_PACKET", "NFULNL_MSG_CONFIG", "NFULA_PACKET_HDR", "NFULA_TIMESTAMP", "NFULA_IFINDEX_INDEV",
            "NFULA_IFINDEX_OUTDEV", "NFULA_PAYLOAD", "NFULA_PREFIX", "NFULA_UID", "NFULA_SEQ", "NFULA_GID", "NFULNL_CFG_CMD_BIND",
            "NFULNL_CFG_CMD_UNBIND", "NFULA_CFG_CMD", "NFULA_CFG_MODE", "NFULA_CFG_FLAGS", "NFULNL_COPY_PACKET", "NFULNL_CFG_F_SEQ");
    }
}
