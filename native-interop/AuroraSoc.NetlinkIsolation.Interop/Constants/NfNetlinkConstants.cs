namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>nfnetlink framing constants (&lt;linux/netfilter/nfnetlink.h&gt;).</summary>
internal static class NfNetlinkConstants
{
    public const byte NFNETLINK_V0 = 0;
    public const ushort NFNL_SUBSYS_NFTABLES = 10;

    /// <summary>NFNL_MSG_BATCH_BEGIN = NLMSG_MIN_TYPE (0x10).</summary>
    public const ushort NFNL_MSG_BATCH_BEGIN = 0x10;
    public const ushort NFNL_MSG_BATCH_END = 0x11;

    /// <summary>enum nfnetlink_groups: the multicast group on which nf_tables announces every committed change.</summary>
    public const int NFNLGRP_NFTABLES = 7;

    /// <summary>sizeof(struct nfgenmsg).</summary>
    public const int NfGenMessageSize = 4;

    /// <summary>nlmsg_type of an nf_tables message: subsystem in the high byte, message in the low byte.</summary>
    public static ushort NfTablesType(NftMessageType message) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | (ushort)message);
}

