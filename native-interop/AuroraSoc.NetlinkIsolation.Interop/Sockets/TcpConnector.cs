using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// TCP connection attempts made all at once and bounded by one deadline, without threads: each socket is
/// non-blocking, connect(2) starts the handshake (EINPROGRESS), one poll(2) loop waits for them all, and SO_ERROR says
/// how each ended (connect(2), "EINPROGRESS"). Collector verification proves a collector is reachable this way.
/// </summary>
internal static class TcpConnector
{
    /// <summary>An attempt's outcome when the deadline came before the handshake ended (no errno is negative).</summary>
    public static readonly int DeadlinePassed = -1;

    /// <summary>
    /// A non-blocking TCP socket of <paramref name="family"/> in the calling thread's network namespace (a socket keeps
    /// that namespace for its whole life). Returns 0 or errno.
    /// </summary>
    public static int TryCreateSocket(AddressFamily family, out SocketHandle? socket)
    {
        socket = null;
        int domain = family == AddressFamily.InterNetworkV6 ? LibC.AF_INET6 : LibC.AF_INET;
        int fd = LibC.socket(domain, LibC.SOCK_STREAM | LibC.SOCK_NONBLOCK | LibC.SOCK_CLOEXEC, LibC.IPPROTO_TCP);
        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        socket = new SocketHandle(fd);
        return 0;
    }

    /// <summary>
    /// Connects <paramref name="sockets"/>[i] (from <see cref="TryCreateSocket"/>) to <paramref name="endpoints"/>[i],
    /// all at once, and waits until each has connected or failed or <paramref name="timeoutMilliseconds"/> have passed.
    /// <paramref name="outcomes"/>[i] is 0 (connected), an errno (ECONNREFUSED, ENETUNREACH, ...) or
    /// <see cref="DeadlinePassed"/>; <paramref name="milliseconds"/>[i] how long it took. A null socket is skipped (its
    /// entries are left as they are). The sockets stay open; the caller closes them.
    /// </summary>
    public static unsafe void ConnectAll(SocketHandle?[] sockets, IPEndPoint[] endpoints, int timeoutMilliseconds, int[] outcomes, long[] milliseconds)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        ArgumentNullException.ThrowIfNull(endpoints);
        ArgumentNullException.ThrowIfNull(outcomes);
        ArgumentNullException.ThrowIfNull(milliseconds);
        if (endpoints.Length != sockets.Length || outcomes.Length != sockets.Length || milliseconds.Length != sockets.Length)
        {
            throw new ArgumentException("one endpoint, outcome and time per socket");
        }

        long started = Stopwatch.GetTimestamp();
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        bool[] referenced = new bool[sockets.Length];
        var waiting = new pollfd[sockets.Length];
        int[] waitingIndex = new int[sockets.Length];
        int waitingCount = 0;
        try
        {
            for (int i = 0; i < sockets.Length; i++)
            {
                if (sockets[i] is not { } socket)
                {
                    continue;
                }

                socket.DangerousAddRef(ref referenced[i]);
                int error = StartConnect(socket.FileDescriptor, endpoints[i]);
                if (error == Errno.EINPROGRESS)
                {
                    waiting[waitingCount].fd = socket.FileDescriptor;
                    waiting[waitingCount].events = LibC.POLLOUT;
                    waitingIndex[waitingCount++] = i;
                    continue;
                }

                outcomes[i] = error;
                milliseconds[i] = ElapsedMilliseconds(started);
            }

            while (waitingCount > 0)
            {
                int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
                int ready;
                fixed (pollfd* fds = waiting)
                {
                    ready = remaining == 0 ? 0 : Interop.Poll(fds, (nuint)waitingCount, remaining);
                }

                if (ready == -1 && Marshal.GetLastPInvokeError() == Errno.EINTR)
                {
                    continue;
                }

                if (ready <= 0)
                {
                    // The deadline (or a poll failure, which leaves nothing to wait with) ends every attempt still going.
                    int pollError = ready == -1 ? Marshal.GetLastPInvokeError() : DeadlinePassed;
                    for (int w = 0; w < waitingCount; w++)
                    {
                        outcomes[waitingIndex[w]] = pollError;
                        milliseconds[waitingIndex[w]] = ElapsedMilliseconds(started);
                    }

                    return;
                }

                int kept = 0;
                for (int w = 0; w < waitingCount; w++)
                {
                    if (waiting[w].revents == 0)
                    {
                        waiting[kept] = waiting[w];
                        waitingIndex[kept++] = waitingIndex[w];
                        continue;
                    }

                    outcomes[waitingIndex[w]] = PendingError(waiting[w].fd);
                    milliseconds[waitingIndex[w]] = ElapsedMilliseconds(started);
                }

                waitingCount = kept;
            }
        }
        finally
        {
            for (int i = 0; i < sockets.Length; i++)
            {
                if (referenced[i])
                {
                    sockets[i]!.DangerousRelease();
                }
            }
        }
    }

    /// <summary>connect(2) on a non-blocking socket: 0 (connected at once, as on loopback), EINPROGRESS, or errno.</summary>
    private static unsafe int StartConnect(int fd, IPEndPoint endpoint)
    {
        // The port and the address go into the sockaddr in network byte order (ip(7), ipv6(7)).
        ushort port = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness((ushort)endpoint.Port) : (ushort)endpoint.Port;
        int result;
        if (endpoint.AddressFamily == AddressFamily.InterNetworkV6)
        {
            sockaddr_in6 address = default;
            address.sin6_family = LibC.AF_INET6;
            address.sin6_port = port;
            address.sin6_scope_id = (uint)endpoint.Address.ScopeId;
            endpoint.Address.TryWriteBytes(new Span<byte>(address.sin6_addr.s6_addr, 16), out _);
            result = LibC.connect(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_in6));
        }
        else
        {
            sockaddr_in address = default;
            address.sin_family = LibC.AF_INET;
            address.sin_port = port;
            endpoint.Address.TryWriteBytes(new Span<byte>(address.sin_addr.s_addr, 4), out _);
            result = LibC.connect(fd, (sockaddr*)&address, (uint)sizeof(sockaddr_in));
        }

        return result == -1 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>getsockopt(SO_ERROR): how the handshake ended once poll reports the socket (0 = connected).</summary>
    private static unsafe int PendingError(int fd)
    {
        int error = 0;
        socklen_t length = sizeof(int);
        return LibC.getsockopt(fd, LibC.SOL_SOCKET, LibC.SO_ERROR, &error, &length) == -1 ? Marshal.GetLastPInvokeError() : error;
    }

    private static long ElapsedMilliseconds(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;
}
