using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Netlink;

// The datagrams under every request: sending one whole, receiving one within a bounded wait, discarding stale
// replies, and the socket call failures as the kinds NetlinkErrors gives them.
internal sealed partial class NetlinkConnection
{
    // Allocated on the first receive, not zeroed: every receive overwrites what it returns.
    private byte[] ReceiveBuffer => _receiveBuffer ??= GC.AllocateUninitializedArray<byte>(_options.ReceiveBufferBytes);

    /// <summary>Discards replies left over from a request that was cut short, so they cannot answer the next one.</summary>
    private void DrainStale()
    {
        if (!_mayHaveStaleReplies)
        {
            _mayHaveStaleReplies = true; // until this request ends normally
            return;
        }

        for (int i = 0; i < 4096; i++)
        {
            int result = _socket.Receive(ReceiveBuffer, 0);
            if (result == -Errno.EAGAIN)
            {
                return;
            }

            if (result < 0 && result != -Errno.EINTR && result != -Errno.ENOBUFS && result != -Errno.EMSGSIZE)
            {
                throw SocketCallFailed(-result, NetlinkErrorSource.Receive, "receive");
            }
        }
    }

    private void Send(ReadOnlySpan<byte> datagram)
    {
        for (int attempt = 1; ; attempt++)
        {
            int sent = _socket.Send(datagram);
            if (sent == datagram.Length)
            {
                return;
            }

            if (sent >= 0)
            {
                // A netlink datagram is delivered whole or not at all; a short count means we cannot know which.
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, 0, $"sendmsg sent {sent} of {datagram.Length} bytes");
            }

            int errno = -sent;
            if ((errno == Errno.EINTR || errno == Errno.EAGAIN) && attempt < _options.MaxSendAttempts)
            {
                continue; // nothing was delivered: the kernel handles a datagram only after sendmsg copied it all
            }

            NetlinkErrorKind kind = NetlinkErrors.KindOf(errno, NetlinkErrorSource.Send);
            throw kind switch
            {
                NetlinkErrorKind.OutcomeUnknown => new NetlinkException(kind, errno, $"sendmsg failed with {Errno.Name(errno)}"),
                NetlinkErrorKind.Transport when errno == Errno.EMSGSIZE => new NetlinkException(kind, errno, $"batch of {datagram.Length} bytes is larger than the socket accepts (EMSGSIZE); reduce the number of endpoints"),
                _ => SocketCallFailed(errno, NetlinkErrorSource.Send, "sendmsg"),
            };
        }
    }

    /// <summary>Receives one datagram into the receive buffer; 0 when none arrived within the timeout.</summary>
    private int ReceiveDatagram(int timeoutMilliseconds)
    {
        for (int interruptions = 0; ; interruptions++)
        {
            if (interruptions == _options.MaxReceiveInterruptions)
            {
                // A storm of signals must not turn a bounded wait into an endless one.
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.EINTR, $"recvmsg was interrupted {interruptions} times in a row; the outcome must be probed");
            }

            int result = _socket.Receive(ReceiveBuffer, timeoutMilliseconds);
            if (result > 0)
            {
                return result;
            }

            switch (-result)
            {
                case 0:
                    throw new NetlinkProtocolException("empty datagram from the kernel.");
                case Errno.EAGAIN:
                    return 0;
                case Errno.EINTR:
                    continue;
                case Errno.ENOBUFS:
                    // The kernel dropped replies for lack of room: whatever was sent may have been applied.
                    throw new NetlinkException(NetlinkErrors.KindOf(Errno.ENOBUFS, NetlinkErrorSource.Receive), Errno.ENOBUFS, "the kernel dropped replies (ENOBUFS); the outcome must be probed");
                case Errno.EMSGSIZE:
                    throw new NetlinkException(NetlinkErrors.KindOf(Errno.EMSGSIZE, NetlinkErrorSource.Receive), Errno.EMSGSIZE, $"a reply was larger than the {ReceiveBuffer.Length}-byte receive buffer");
                default:
                    throw SocketCallFailed(-result, NetlinkErrorSource.Receive, "recvmsg");
            }
        }
    }

    /// <summary>Replies to a request carry the requester's port id (af_netlink.c: netlink_ack, netlink_dump).</summary>
    private bool IsOurs(in NetlinkMessageHeader header) => header.PortId == _socket.PortId;

    private void EnsureSocketBuffer(int datagramBytes)
    {
        int wanted = datagramBytes + 64 * 1024;
        if (wanted <= _socketBufferBytes)
        {
            return;
        }

        int errno = _socket.EnsureBufferSize(wanted);
        if (errno != 0)
        {
            throw SocketCallFailed(errno, NetlinkErrorSource.Send, "setsockopt(SO_SNDBUF)");
        }

        _socketBufferBytes = wanted;
    }

    private static NetlinkException SocketCallFailed(int errno, NetlinkErrorSource source, string operation)
        => new(NetlinkErrors.KindOf(errno, source), errno, $"{operation} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})");
}
