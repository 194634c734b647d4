using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.SockDiag;

/// <summary>
/// struct inet_diag_req_v2 (&lt;linux/inet_diag.h&gt;): the body of a SOCK_DIAG_BY_FAMILY dump request (which family,
/// protocol and states) and of a SOCK_DESTROY request (which one socket, by <see cref="Id"/>).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagRequestV2
{
    /// <summary>sizeof(struct inet_diag_req_v2).</summary>
    public const int Size = 56;

    /// <summary>sdiag_family: AF_INET or AF_INET6.</summary>
    public byte Family;

    /// <summary>sdiag_protocol: IPPROTO_TCP.</summary>
    public byte Protocol;

    /// <summary>idiag_ext: bit mask of extensions to add to each reply (none here).</summary>
    public byte Extensions;

    /// <summary>pad.</summary>
    public byte Pad;

    /// <summary>idiag_states: bit mask of 1 &lt;&lt; TCP state to dump (host order).</summary>
    public uint States;

    /// <summary>id: for SOCK_DESTROY the socket to close; ignored by dumps without a filter.</summary>
    public InetDiagSocketId Id;
}
