namespace AuroraSoc.NetlinkIsolation.Interop.SockDiag;

/// <summary>
/// Socket monitoring over netlink (sock_diag(7)): &lt;linux/netlink.h&gt;, &lt;linux/sock_diag.h&gt;,
/// &lt;linux/inet_diag.h&gt;, and the address families and TCP state it filters on.
/// </summary>
internal static class SockDiagConstants
{
    /// <summary>The netlink protocol of sock_diag sockets.</summary>
    public const int NETLINK_SOCK_DIAG = 4;

    /// <summary>nlmsg_type of a request (and its dump replies) for the sockets of one family and protocol.</summary>
    public const ushort SOCK_DIAG_BY_FAMILY = 20;

    /// <summary>nlmsg_type of a request to close one socket (Linux 4.5, CONFIG_INET_DIAG_DESTROY).</summary>
    public const ushort SOCK_DESTROY = 21;

    /// <summary>idiag_cookie value meaning "any socket with this address tuple".</summary>
    public const uint INET_DIAG_NOCOOKIE = uint.MaxValue;

    /// <summary>
    /// The socket's cgroup v2 id, a u64 attribute after inet_diag_msg (linux/inet_diag.h, Linux 5.7; inet_diag.c puts
    /// it for every full socket, no extension bit needed).
    /// </summary>
    public const ushort INET_DIAG_CGROUP_ID = 21;

    public const byte AF_INET = 2;
    public const byte AF_INET6 = 10;
    public const byte IPPROTO_TCP = 6;

    /// <summary>The TCP state of a connected socket (&lt;netinet/tcp.h&gt;); idiag_states is a bit mask of 1 &lt;&lt; state.</summary>
    public const byte TCP_ESTABLISHED = 1;
}
