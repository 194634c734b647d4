using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>struct sockaddr_nl (&lt;linux/netlink.h&gt;); Tmds.LibC does not declare it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct SockAddrNetlink
{
    /// <summary>sizeof(struct sockaddr_nl).</summary>
    public const int Size = 12;

    /// <summary>nl_family: AF_NETLINK.</summary>
    public ushort Family;

    /// <summary>nl_pad: zero.</summary>
    public ushort Pad;

    /// <summary>nl_pid: port id; 0 addresses the kernel, or asks bind(2) to assign one.</summary>
    public uint PortId;

    /// <summary>nl_groups: multicast group mask; unused here.</summary>
    public uint Groups;
}
