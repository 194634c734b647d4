namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>How a TCP connection attempt ended.</summary>
public enum TcpConnectOutcome
{
    /// <summary>Three-way handshake completed.</summary>
    Connected,

    /// <summary>ECONNREFUSED: a TCP reset came back (no listener, or <c>reject with tcp reset</c>).</summary>
    Refused,

    /// <summary>Nothing came back within the timeout (dropped).</summary>
    TimedOut,

    /// <summary>EHOSTUNREACH / ENETUNREACH (ICMP unreachable, or no route).</summary>
    Unreachable,

    /// <summary>EPERM / EACCES from the local stack (a local firewall dropped the packet on output).</summary>
    Denied,

    /// <summary>Any other socket error; see <see cref="TcpConnectResult.SocketError"/>.</summary>
    Failed,
}
