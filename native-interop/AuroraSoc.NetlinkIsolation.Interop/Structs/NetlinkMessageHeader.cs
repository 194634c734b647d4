using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>struct nlmsghdr (&lt;linux/netlink.h&gt;). Host byte order on the wire.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkMessageHeader
{
    /// <summary>sizeof(struct nlmsghdr); also NLMSG_HDRLEN, as the header is already 4-byte aligned.</summary>
    public const int Size = 16;

    /// <summary>nlmsg_len: length of the message including this header.</summary>
    public uint Length;

    /// <summary>nlmsg_type: for nfnetlink, subsystem in the high byte and message in the low byte.</summary>
    public ushort Type;

    /// <summary>nlmsg_flags: <see cref="NetlinkMessageFlags"/>.</summary>
    public ushort Flags;

    /// <summary>nlmsg_seq: echoed by the kernel in every reply to this message.</summary>
    public uint Sequence;

    /// <summary>nlmsg_pid: the sender's port id; 0 on messages from the kernel.</summary>
    public uint PortId;
}
