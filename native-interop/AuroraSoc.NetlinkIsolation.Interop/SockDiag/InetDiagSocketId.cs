using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.SockDiag;

/// <summary>struct inet_diag_sockid (&lt;linux/inet_diag.h&gt;): which socket — ports and addresses in network order.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagSocketId
{
    /// <summary>sizeof(struct inet_diag_sockid).</summary>
    public const int Size = 48;

    /// <summary>idiag_sport: the local port, big-endian.</summary>
    public ushort SourcePortBigEndian;

    /// <summary>idiag_dport: the remote port, big-endian.</summary>
    public ushort DestinationPortBigEndian;

    /// <summary>idiag_src: the local address.</summary>
    public InetDiagAddress Source;

    /// <summary>idiag_dst: the remote address.</summary>
    public InetDiagAddress Destination;

    /// <summary>idiag_if: the bound interface index, 0 for none (host order).</summary>
    public uint Interface;

    /// <summary>idiag_cookie.</summary>
    public InetDiagCookie Cookie;
}
