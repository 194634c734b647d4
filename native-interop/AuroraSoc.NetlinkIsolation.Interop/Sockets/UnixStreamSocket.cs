using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// An AF_UNIX stream socket (unix(7)) with bounded waits: the guard's hand-over socket, on both ends. Every call
/// returns 0 or errno; a wait that reaches its bound returns ETIMEDOUT. Sends never raise SIGPIPE (MSG_NOSIGNAL): a
/// peer that went away is EPIPE, not the end of the process.
/// </summary>
internal sealed class UnixStreamSocket : IDisposable
{
    private UnixStreamSocket(SocketHandle handle) => Handle = handle;

    public SocketHandle Handle { get; }

    /// <summary>
    /// Connects to the socket at <paramref name="path"/>. ENOENT: no such socket; ECONNREFUSED: nobody listens on it
    /// (a stale socket file); EACCES: not allowed to reach it.
    /// </summary>
    public static unsafe int TryConnect(string path, out UnixStreamSocket? socket)
    {
        socket = null;
        int error = TryOpen(path, out sockaddr_un address, out socklen_t length, out UnixStreamSocket? opened);
        if (error != 0)
        {
            return error;
        }

        // A Unix stream connect completes at once or fails (the listener's backlog is in the kernel): no wait to bound.
        if (LibC.connect(opened!.Handle.FileDescriptor, (sockaddr*)&address, length) == -1)
        {
            error = Marshal.GetLastPInvokeError();
            opened.Dispose();
            return error;
        }

        socket = opened;
        return 0;
    }

    /// <summary>
    /// Binds a new socket to <paramref name="path"/> and listens. EADDRINUSE: the file exists (remove a stale one first).
    /// </summary>
    public static unsafe int TryListen(string path, int backlog, out UnixStreamSocket? listener)
    {
        listener = null;
        int error = TryOpen(path, out sockaddr_un address, out socklen_t length, out UnixStreamSocket? opened);
        if (error != 0)
        {
            return error;
        }

        int fd = opened!.Handle.FileDescriptor;
        if (LibC.bind(fd, (sockaddr*)&address, length) == -1 || LibC.listen(fd, backlog) == -1)
        {
            error = Marshal.GetLastPInvokeError();
            opened.Dispose();
            return error;
        }

        listener = opened;
        return 0;
    }

    /// <summary>Waits up to <paramref name="timeoutMilliseconds"/> for a connection and accepts it; ETIMEDOUT when none came.</summary>
    public unsafe int TryAccept(int timeoutMilliseconds, out UnixStreamSocket? client)
    {
        client = null;
        using var descriptor = new DescriptorLease(Handle);
        int error = WaitFor(descriptor.FileDescriptor, LibC.POLLIN, Environment.TickCount64 + timeoutMilliseconds);
        if (error != 0)
        {
            return error;
        }

        int fd = LibC.accept4(descriptor.FileDescriptor, null, null, LibC.SOCK_CLOEXEC);
        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        client = new UnixStreamSocket(new SocketHandle(fd));
        return 0;
    }

    /// <summary>Sends all of <paramref name="data"/>, waiting at most until <paramref name="timeoutMilliseconds"/> have passed.</summary>
    public unsafe int SendAll(ReadOnlySpan<byte> data, int timeoutMilliseconds)
    {
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        using var descriptor = new DescriptorLease(Handle);
        while (!data.IsEmpty)
        {
            int error = WaitFor(descriptor.FileDescriptor, LibC.POLLOUT, deadline);
            if (error != 0)
            {
                return error;
            }

            long sent;
            fixed (byte* pointer = data)
            {
                sent = LibC.send(descriptor.FileDescriptor, pointer, (size_t)data.Length, LibC.MSG_NOSIGNAL | LibC.MSG_DONTWAIT);
            }

            if (sent == -1)
            {
                error = Marshal.GetLastPInvokeError();
                if (error is not (Errno.EINTR or Errno.EAGAIN))
                {
                    return error;
                }

                continue;
            }

            data = data[(int)sent..];
        }

        return 0;
    }

    /// <summary>
    /// Fills all of <paramref name="buffer"/>, waiting at most until <paramref name="timeoutMilliseconds"/> have passed.
    /// <paramref name="received"/> says how much arrived; less than the buffer with 0 returned means the peer closed.
    /// </summary>
    public unsafe int ReceiveExactly(Span<byte> buffer, int timeoutMilliseconds, out int received)
    {
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        using var descriptor = new DescriptorLease(Handle);
        received = 0;
        while (received < buffer.Length)
        {
            int error = WaitFor(descriptor.FileDescriptor, LibC.POLLIN, deadline);
            if (error != 0)
            {
                return error;
            }

            long count;
            fixed (byte* pointer = buffer[received..])
            {
                count = LibC.recv(descriptor.FileDescriptor, pointer, (size_t)(buffer.Length - received), LibC.MSG_DONTWAIT);
            }

            if (count == 0)
            {
                return 0; // the peer closed the connection
            }

            if (count == -1)
            {
                error = Marshal.GetLastPInvokeError();
                if (error is not (Errno.EINTR or Errno.EAGAIN))
                {
                    return error;
                }

                continue;
            }

            received += (int)count;
        }

        return 0;
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>The address of <paramref name="path"/> and a new, unconnected socket to use it with. Returns 0 or errno.</summary>
    private static int TryOpen(string path, out sockaddr_un address, out socklen_t length, out UnixStreamSocket? socket)
    {
        socket = null;
        int error = UnixSocketAddress.TryCreate(path, out address, out length);
        if (error != 0)
        {
            return error;
        }

        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        socket = new UnixStreamSocket(new SocketHandle(fd));
        return 0;
    }

    /// <summary>poll(2) for <paramref name="events"/> until <paramref name="deadline"/> (Environment.TickCount64); ETIMEDOUT past it.</summary>
    internal static unsafe int WaitFor(int fd, short events, long deadline)
    {
        while (true)
        {
            pollfd wanted = default;
            wanted.fd = fd;
            wanted.events = events;
            int ready = Interop.Poll(&wanted, 1, (int)Math.Clamp(deadline - Environment.TickCount64, 0, int.MaxValue));
            if (ready > 0)
            {
                return 0; // ready, or an error or hang-up that the next call reports
            }

            if (ready == 0)
            {
                return Errno.ETIMEDOUT;
            }

            int error = Marshal.GetLastPInvokeError();
            if (error != Errno.EINTR)
            {
                return error;
            }
        }
    }
}
