namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// One packet copy the kernel sent to an NFLOG group (NFULNL_MSG_PACKET): the group's sequence number, the sending
/// netfilter hook it was logged in (NF_INET_LOCAL_IN, _FORWARD, _LOCAL_OUT), the sending
/// socket's uid and gid (local sockets only), the interfaces (an input interface means the packet came in), when the
/// kernel stamped it, and the headers of the copied packet.
/// </summary>
internal sealed record NflogPacket(
    byte? Hook,
    uint? Sequence,
    uint? Uid,
    uint? Gid,
    uint? InputInterface,
    uint? OutputInterface,
    DateTimeOffset? Timestamp,
    string? Prefix,
    PacketHeaders? Headers);
