namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>
/// nfnetlink_log, the NFLOG subsystem that <c>log group N</c> sends packet copies to (&lt;linux/netfilter/nfnetlink.h&gt;,
/// &lt;linux/netfilter/nfnetlink_log.h&gt;).
/// </summary>
internal static class NfLogConstants
{
    public const ushort NFNL_SUBSYS_ULOG = 4;

    public const byte NFULNL_MSG_PACKET = 0;
    public const byte NFULNL_MSG_CONFIG = 1;

    public const ushort NFULA_PACKET_HDR = 1;
    public const ushort NFULA_TIMESTAMP = 3;
    public const ushort NFULA_IFINDEX_INDEV = 4;
    public const ushort NFULA_IFINDEX_OUTDEV = 5;
    public const ushort NFULA_PAYLOAD = 9;
    public const ushort NFULA_PREFIX = 10;
    public const ushort NFULA_UID = 11;
    public const ushort NFULA_SEQ = 12;
    public const ushort NFULA_GID = 14;

    public const byte NFULNL_CFG_CMD_BIND = 1;
    public const byte NFULNL_CFG_CMD_UNBIND = 2;

    public const ushort NFULA_CFG_CMD = 1;
    public const ushort NFULA_CFG_MODE = 2;
    public const ushort NFULA_CFG_FLAGS = 6;

    public const byte NFULNL_COPY_PACKET = 0x02;

    /// <summary>Per-group sequence numbers (NFULA_SEQ); NFULNL_CFG_F_SEQ_GLOBAL would be shared by every group.</summary>
    public const ushort NFULNL_CFG_F_SEQ = 0x0001;
}
