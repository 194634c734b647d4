using AuroraSoc.NetlinkIsolation.Interop.Constants;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

// Multicast membership: a socket that listens to a netlink group (nf_tables' change events) instead of asking.
internal sealed partial class NetlinkSocket
{
    /// <summary>
    /// Joins the multicast group <paramref name="group"/> (NETLINK_ADD_MEMBERSHIP, netlink(7)); every message the
    /// kernel sends to that group from then on is queued on this socket. Returns 0 or errno.
    /// </summary>
    public int JoinGroup(int group)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(group);
        return SetSocketOption(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_ADD_MEMBERSHIP, group);
    }

    /// <summary>
    /// Sets SO_RCVBUF to <paramref name="bytes"/>, smaller or larger (SO_RCVBUFFORCE when permitted). Unlike
    /// <see cref="EnsureBufferSize(int)"/> it may shrink the buffer: a listener sizes it for the bursts it expects.
    /// Returns 0 or errno.
    /// </summary>
    public int SetReceiveBufferSize(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bytes);
        int error = SetSocketOption(LibC.SOL_SOCKET, LibC.SO_RCVBUFFORCE, bytes);
        return error == Errno.EPERM ? SetSocketOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, bytes) : error;
    }
}
