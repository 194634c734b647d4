using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>The uapi names of the control message types every netlink family shares (&lt;linux/netlink.h&gt;).</summary>
internal static class NetlinkMessageNames
{
    /// <summary>"NLMSG_ERROR" and the like, or the number for a type this layer does not know.</summary>
    public static string Name(ushort messageType) => messageType switch
    {
        (ushort)NetlinkMessageType.Noop => "NLMSG_NOOP",
        (ushort)NetlinkMessageType.Error => "NLMSG_ERROR",
        (ushort)NetlinkMessageType.Done => "NLMSG_DONE",
        (ushort)NetlinkMessageType.Overrun => "NLMSG_OVERRUN",
        _ => $"message type 0x{messageType:x4}",
    };
}
