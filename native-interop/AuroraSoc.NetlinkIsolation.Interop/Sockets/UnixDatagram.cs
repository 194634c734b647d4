using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>One AF_UNIX datagram to a named socket: how a service talks to systemd's notify socket (sd_notify(3)).</summary>
internal static class UnixDatagram
{
    /// <summary>
    /// Sends <paramref name="datagram"/> to the socket at <paramref name="address"/> (a path, or an abstract name with a
    /// leading NUL). Returns 0 or errno.
    /// </summary>
    public static unsafe int TrySend(string address, ReadOnlySpan<byte> datagram)
    {
        int error = UnixSocketAddress.TryCreate(address, out sockaddr_un destination, out socklen_t length);
        if (error != 0)
        {
            return error;
        }

        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_DGRAM | LibC.SOCK_CLOEXEC, 0);
        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        using var socket = new SocketHandle(fd);
        fixed (byte* data = datagram)
        {
            return LibC.sendto(fd, data, (size_t)datagram.Length, LibC.MSG_NOSIGNAL, (sockaddr*)&destination, length) == -1
                ? Marshal.GetLastPInvokeError()
                : 0;
        }
    }
}
