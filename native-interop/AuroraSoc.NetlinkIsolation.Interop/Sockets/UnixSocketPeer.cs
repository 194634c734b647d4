using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>Reads the credentials of the process at the other end of a connected Unix stream socket.</summary>
internal static class UnixSocketPeer
{
    /// <summary>SOL_SOCKET option returning struct ucred (socket(7), unix(7)).</summary>
    public const int SO_PEERCRED = 17;

    /// <summary>
    /// getsockopt(SO_PEERCRED): the pid, uid and gid the peer had when it connected, recorded by the kernel and not
    /// forgeable by the peer. Returns 0 or errno.
    /// </summary>
    public static unsafe int TryGetCredentials(SocketHandle socket, out PeerCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(socket);
        PeerCredentials result = default;
        socklen_t length = PeerCredentials.Size;
        using var descriptor = new DescriptorLease(socket);
        int fd = descriptor.FileDescriptor;
        int error = LibC.getsockopt(fd, LibC.SOL_SOCKET, SO_PEERCRED, &result, &length) == -1 ? Marshal.GetLastPInvokeError() : 0;
        credentials = result;
        return error == 0 && length != PeerCredentials.Size ? Errno.EPROTO : error;
    }
}
