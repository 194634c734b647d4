using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

// The constants of sets, set elements and the expressions that record blocked traffic.
internal static partial class NativeHeaderTable
{
    private static void MapRecordingConstants(List<NativeHeaderEntry> entries)
    {
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
