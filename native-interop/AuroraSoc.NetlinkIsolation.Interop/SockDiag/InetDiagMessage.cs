using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.SockDiag;

/// <summary>struct inet_diag_msg (&lt;linux/inet_diag.h&gt;): one socket in a SOCK_DIAG_BY_FAMILY dump, attributes after it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagMessage
{
    /// <summary>sizeof(struct inet_diag_msg).</summary>
    public const int Size = 72;

    /// <summary>idiag_family: AF_INET or AF_INET6 (the socket's family; an IPv6 socket may carry IPv4-mapped addresses).</summary>
    public byte Family;

    /// <summary>idiag_state: the TCP state.</summary>
    public byte State;

    /// <summary>idiag_timer.</summary>
    public byte Timer;

    /// <summary>idiag_retrans.</summary>
    public byte Retransmits;

    /// <summary>id: the socket's identity, as a SOCK_DESTROY request must repeat it.</summary>
    public InetDiagSocketId Id;

    /// <summary>idiag_expires.</summary>
    public uint Expires;

    /// <summary>idiag_rqueue.</summary>
    public uint ReceiveQueue;

    /// <summary>idiag_wqueue.</summary>
    public uint SendQueue;

    /// <summary>idiag_uid: the owner's uid.</summary>
    public uint Uid;

    /// <summary>idiag_inode: the socket's inode (as in /proc/PID/fd → socket:[INODE]).</summary>
    public uint Inode;
}
