namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>Bounds for every wait and retry of a <see cref="NetlinkConnection"/>.</summary>
internal sealed record NetlinkConnectionOptions
{
    /// <summary>How long to wait for the kernel's reply to a GET or a dump datagram.</summary>
    public int ReplyTimeoutMilliseconds { get; init; } = 5000;

    /// <summary>How many times a dump interrupted by a concurrent change (NLM_F_DUMP_INTR) is retried.</summary>
    public int MaxDumpAttempts { get; init; } = 32;

    /// <summary>How many times a send interrupted by a signal (EINTR/EAGAIN) is retried.</summary>
    public int MaxSendAttempts { get; init; } = 16;

    /// <summary>How many consecutive EINTRs one wait for a reply tolerates before giving up as outcome-unknown.</summary>
    public int MaxReceiveInterruptions { get; init; } = 16;

    /// <summary>Initial SO_SNDBUF/SO_RCVBUF; grown before sending a larger batch (nft sizes them from the batch too).</summary>
    public int SocketBufferBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Receive buffer, allocated on the first receive. The kernel sizes a dump datagram to the largest buffer
    /// recvmsg was given, capped at 32 KiB (af_netlink.c: netlink_recvmsg, netlink_dump), and with NETLINK_CAP_ACK
    /// an error reply echoes only the failing message's header, so 32 KiB holds any reply.
    /// </summary>
    public int ReceiveBufferBytes { get; init; } = 32 * 1024;

    public static NetlinkConnectionOptions Default { get; } = new();
}
