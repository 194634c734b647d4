using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>
/// struct nlmsgerr (&lt;linux/netlink.h&gt;): the payload of an NLMSG_ERROR reply. Without NLM_F_CAPPED the
/// echoed message's payload follows <see cref="Message"/>; extended-ack TLVs come after that.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct NetlinkErrorMessage
{
    /// <summary>sizeof(struct nlmsgerr).</summary>
    public const int Size = 20;

    /// <summary>error: 0 for an acknowledgement, otherwise a negative errno.</summary>
    public int Error;

    /// <summary>msg: the header of the message this reply answers.</summary>
    public NetlinkMessageHeader Message;
}
