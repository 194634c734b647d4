using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// An AF_NETLINK socket — NETLINK_NETFILTER unless another protocol is asked for (NETLINK_SOCK_DIAG) — bound to a
/// kernel-assigned port id, with extended acks on. Send and Receive allocate nothing: they run on the request
/// engine's hot path.
/// </summary>
internal sealed partial class NetlinkSocket : INetlinkSocket
{
    private NetlinkSocket(SocketHandle handle) => Handle = handle;

    public SocketHandle Handle { get; }

    /// <inheritdoc/>
    public uint PortId { get; private set; }

    /// <summary>Opens a NETLINK_NETFILTER socket in the calling thread's network namespace. Returns 0 or errno.</summary>
    public static int TryOpen(int bufferBytes, out NetlinkSocket? socket) => TryOpen(NetlinkConstants.NETLINK_NETFILTER, bufferBytes, out socket);

    /// <summary>Opens a socket of netlink <paramref name="protocol"/> in the calling thread's network namespace. Returns 0 or errno.</summary>
    public static int TryOpen(int protocol, int bufferBytes, out NetlinkSocket? socket)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bufferBytes);
        socket = null;
        int fd = LibC.socket(NetlinkConstants.AF_NETLINK, NetlinkConstants.SOCK_RAW | NetlinkConstants.SOCK_CLOEXEC, protocol);
        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        var opened = new NetlinkSocket(new SocketHandle(fd));
        int error = opened.Configure(bufferBytes);
        if (error != 0)
        {
            opened.Dispose();
            return error;
        }

        socket = opened;
        return 0;
    }

    /// <inheritdoc/>
    public int Send(ReadOnlySpan<byte> datagram) => SendTo(datagram, destinationPortId: 0);

    /// <inheritdoc/>
    public unsafe int Receive(Span<byte> buffer, int timeoutMilliseconds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(timeoutMilliseconds);
        using var descriptor = new DescriptorLease(Handle);
        int fd = descriptor.FileDescriptor;
        long deadline = Environment.TickCount64 + timeoutMilliseconds;
        fixed (byte* data = buffer)
        {
            while (true)
            {
                // Replies are usually queued already (the kernel answers inside sendmsg), so try the read first
                // and poll only when nothing is there: one system call instead of two on the hot path.
                int received = ReceiveFromKernel(fd, data, buffer.Length);
                if (received != 0 && received != -Errno.EAGAIN)
                {
                    return received;
                }

                if (received == 0)
                {
                    continue; // a datagram from a user-space sender was discarded; read again
                }

                int remaining = (int)Math.Max(0, deadline - Environment.TickCount64);
                if (remaining == 0)
                {
                    return -Errno.EAGAIN;
                }

                pollfd readable = default;
                readable.fd = fd;
                readable.events = LibC.POLLIN;

                // POLLERR also wakes us: the next recvmsg then reports the pending socket error (ENOBUFS).
                int ready = Interop.Poll(&readable, 1, remaining);
                if (ready == -1)
                {
                    return -Marshal.GetLastPInvokeError();
                }

                if (ready == 0)
                {
                    return -Errno.EAGAIN;
                }
            }
        }
    }

    /// <inheritdoc/>
    public int EnsureBufferSize(int bytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(bytes);
        int error = EnsureBufferSize(LibC.SO_SNDBUF, LibC.SO_SNDBUFFORCE, bytes);
        return error != 0 ? error : EnsureBufferSize(LibC.SO_RCVBUF, LibC.SO_RCVBUFFORCE, bytes);
    }

    public void Dispose() => Handle.Dispose();

    /// <summary>Sends one datagram to <paramref name="destinationPortId"/> (0 = the kernel). Returns bytes sent or -errno.</summary>
    internal unsafe int SendTo(ReadOnlySpan<byte> datagram, uint destinationPortId)
    {
        SockAddrNetlink destination = default;
        destination.Family = NetlinkConstants.AF_NETLINK;
        destination.PortId = destinationPortId;
        using var descriptor = new DescriptorLease(Handle);
        fixed (byte* data = datagram)
        {
            long sent = LibC.sendto(descriptor.FileDescriptor, data, (size_t)datagram.Length, 0, (sockaddr*)&destination, SockAddrNetlink.Size);
            return sent == -1 ? -Marshal.GetLastPInvokeError() : (int)sent;
        }
    }

    /// <summary>getsockopt(2) for an int-valued option. Returns 0 or errno.</summary>
    internal unsafe int GetSocketOption(int level, int option, out int value)
    {
        int result = 0;
        socklen_t length = sizeof(int);
        using var descriptor = new DescriptorLease(Handle);
        int error = LibC.getsockopt(descriptor.FileDescriptor, level, option, &result, &length) == -1 ? Marshal.GetLastPInvokeError() : 0;
        value = result;
        return error;
    }

    /// <summary>setsockopt(2) for an int-valued option. Returns 0 or errno.</summary>
    internal unsafe int SetSocketOption(int level, int option, int value)
    {
        using var descriptor = new DescriptorLease(Handle);
        return LibC.setsockopt(descriptor.FileDescriptor, level, option, &value, sizeof(int)) == -1 ? Marshal.GetLastPInvokeError() : 0;
    }

    /// <summary>One recvmsg(MSG_DONTWAIT). Returns the length, 0 when the sender was not the kernel, or -errno.</summary>
    private static unsafe int ReceiveFromKernel(int fd, byte* data, int capacity)
    {
        SockAddrNetlink source = default;
        iovec vector = default;
        vector.iov_base = data;
        vector.iov_len = (size_t)capacity;
        msghdr message = default;
        message.msg_name = &source;
        message.msg_namelen = SockAddrNetlink.Size;
        message.msg_iov = &vector;
        message.msg_iovlen = 1;
        long received = LibC.recvmsg(fd, &message, LibC.MSG_DONTWAIT);
        if (received == -1)
        {
            return -Marshal.GetLastPInvokeError();
        }

        // Any local process with the right to send may unicast to our port id; only the kernel (nl_pid 0) answers
        // requests (netlink(7)), so anything else is never a reply.
        if (source.PortId != 0 || received == 0)
        {
            return 0;
        }

        // recvmsg(2): MSG_TRUNC in msg_flags means the datagram was longer than the buffer; the rest is gone.
        return (message.msg_flags & LibC.MSG_TRUNC) != 0 ? -Errno.EMSGSIZE : (int)received;
    }

    private unsafe int Configure(int bufferBytes)
    {
        // Nobody else has the handle yet, so the descriptor cannot be closed under us.
        int fd = Handle.FileDescriptor;

        // nl_pid 0 asks the kernel to assign a unique port id (netlink(7)); getsockname reports it.
        SockAddrNetlink address = default;
        address.Family = NetlinkConstants.AF_NETLINK;
        if (LibC.bind(fd, (sockaddr*)&address, SockAddrNetlink.Size) == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        socklen_t length = SockAddrNetlink.Size;
        if (LibC.getsockname(fd, (sockaddr*)&address, &length) == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        PortId = address.PortId;

        // Extended acks (Linux 4.12) carry NLMSGERR_ATTR_OFFS, which points at the attribute the kernel rejected.
        int error = SetSocketOption(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, 1);
        if (error != 0)
        {
            return error;
        }

        // Capped acks (Linux 4.3) keep error replies small. A netlink stack without it (ENOPROTOOPT) still works:
        // replies then echo the whole request, and their NLM_F_CAPPED bit tells the parser which form it got.
        error = SetSocketOption(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_CAP_ACK, 1);
        if (error != 0 && error != Errno.ENOPROTOOPT)
        {
            return error;
        }

        return EnsureBufferSize(bufferBytes);
    }

    private int EnsureBufferSize(int option, int forcedOption, int bytes)
    {
        int error = GetSocketOption(LibC.SOL_SOCKET, option, out int current);
        if (error != 0)
        {
            return error;
        }

        // socket(7): the kernel doubles the value set (for its bookkeeping) and getsockopt reports the doubled value.
        if (current / 2 >= bytes)
        {
            return 0;
        }

        // The *FORCE options need CAP_NET_ADMIN in the initial user namespace. Without it fall back, as nft's
        // mnl_set_sndbuffer does, to the plain option, which the kernel caps at net.core.wmem_max / rmem_max.
        error = SetSocketOption(LibC.SOL_SOCKET, forcedOption, bytes);
        return error == Errno.EPERM ? SetSocketOption(LibC.SOL_SOCKET, option, bytes) : error;
    }
}
