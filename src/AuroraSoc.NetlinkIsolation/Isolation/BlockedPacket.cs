namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// One blocked packet as <see cref="HostIsolator.WatchBlocked"/> reports it from the table's NFLOG group: when, which way,
/// the addresses and ports (null for protocols without ports, or when the copy did not reach them), the sending socket's
/// uid and gid from the kernel (local sockets only), and the process holding that socket, best effort.
/// </summary>
public sealed class BlockedPacket
{
    internal BlockedPacket()
    {
    }

    /// <summary>When the kernel logged it (its timestamp when it gave one, else when it was read).</summary>
    public DateTimeOffset Time { get; internal init; }

    /// <summary><c>input</c>, <c>output</c> or <c>forward</c>.</summary>
    public string Direction { get; internal init; } = string.Empty;

    /// <summary><c>ipv4</c> or <c>ipv6</c>.</summary>
    public string Family { get; internal init; } = string.Empty;

    /// <summary>The transport protocol as nft names it (<c>tcp</c>, <c>udp</c>, <c>icmp</c>, <c>ipv6-icmp</c> …).</summary>
    public string Protocol { get; internal init; } = string.Empty;

    /// <summary>The source address.</summary>
    public string Source { get; internal init; } = string.Empty;

    /// <summary>The source port (TCP, UDP), else null.</summary>
    public int? SourcePort { get; internal init; }

    /// <summary>The destination address.</summary>
    public string Destination { get; internal init; } = string.Empty;

    /// <summary>The destination port (TCP, UDP), else null.</summary>
    public int? DestinationPort { get; internal init; }

    /// <summary>The uid of the local socket, from the kernel (NFULA_UID); null for packets of no local socket.</summary>
    public long? Uid { get; internal init; }

    /// <summary>The gid of the local socket, from the kernel (NFULA_GID).</summary>
    public long? Gid { get; internal init; }

    /// <summary>The process holding the socket, best effort; null when unknown.</summary>
    public int? Pid { get; internal init; }

    /// <summary>That process's executable, best effort; null when unknown.</summary>
    public string? Executable { get; internal init; }
}
