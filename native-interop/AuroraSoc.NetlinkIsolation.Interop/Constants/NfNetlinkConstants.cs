namespace AuroraSoc.NetlinkIsolation.Interop;

/// <summary>nfnetlink framing constants (&lt;linux/netfilter/nfnetlink.h&gt;).</summary>
public static class NfNetlinkConstants
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
    public static ushort NfTablesType(NfTablesMessageType message) => (ushort)((NFNL_SUBSYS_NFTABLES << 8) | (ushort)message);
}

/// <summary>Address families as nf_tables uses them (NFPROTO_*, &lt;linux/netfilter.h&gt;).</summary>
public enum NfProtocolFamily : byte
{
    Unspecified = 0,
    Inet = 1,
    IPv4 = 2,
    Arp = 3,
    NetDev = 5,
    Bridge = 7,
    IPv6 = 10,
}

/// <summary>Netfilter hooks (enum nf_inet_hooks, &lt;linux/netfilter.h&gt;).</summary>
public enum NfInetHook : uint
{
    PreRouting = 0,
    LocalIn = 1,
    Forward = 2,
    LocalOut = 3,
    PostRouting = 4,
    Ingress = 5,
}

/// <summary>Netfilter verdicts (&lt;linux/netfilter.h&gt;) and nf_tables' own (enum nft_verdicts).</summary>
public enum NfVerdict : int
{
    Drop = 0,
    Accept = 1,
    Stolen = 2,
    Queue = 3,
    Repeat = 4,
    Stop = 5,
    Continue = -1,
    Break = -2,
    Jump = -3,
    Goto = -4,
    Return = -5,
}
