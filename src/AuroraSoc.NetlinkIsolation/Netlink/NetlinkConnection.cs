using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// A netlink request engine that knows no protocol family: it sends a transaction in one sendmsg and learns its
/// outcome without counting acks, runs single-reply requests and dumps with bounded waits, discards stale replies
/// and replies meant for another socket, and turns every failure into a <see cref="NetlinkException"/> whose kind
/// comes from <see cref="NetlinkErrors"/>. Not thread-safe: one request at a time.
/// </summary>
internal sealed partial class NetlinkConnection : IDisposable
{
    // The offset of nlmsg_seq in struct nlmsghdr (<linux/netlink.h>).
    private const int SequenceOffset = 8;

    private readonly INetlinkSocket _socket;
    private readonly NetlinkConnectionOptions _options;
    private readonly Func<ushort, string> _messageTypeName;
    private readonly NetlinkBuffer _requestBuffer = new();
    private byte[]? _receiveBuffer;
    private uint _nextSequence;
    private int _socketBufferBytes;

    // True until a request has run to its normal end. Only a request cut short (timeout, exception, ENOBUFS) can
    // leave replies behind: a transaction is drained to EAGAIN, a single-reply request has exactly one reply, a
    // dump ends with NLMSG_DONE. Draining only then saves a system call on every request.
    private bool _mayHaveStaleReplies = true;

    /// <param name="socket">The socket; the connection owns it.</param>
    /// <param name="options">Bounds for every wait and retry.</param>
    /// <param name="messageTypeName">Names the family's message types in errors (e.g. "NFT_MSG_GETTABLE").</param>
    public NetlinkConnection(INetlinkSocket socket, NetlinkConnectionOptions? options = null, Func<ushort, string>? messageTypeName = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _options = options ?? NetlinkConnectionOptions.Default;
        _messageTypeName = messageTypeName ?? NetlinkMessageNames.Name;
        _socketBufferBytes = _options.SocketBufferBytes;

        // Any start works; a time-derived one keeps replies meant for an earlier process's socket (same port id
        // reused) from matching, as nft does with time(NULL).
        _nextSequence = (uint)Environment.TickCount64 | 1;
    }

    /// <summary>Opens a socket in this thread's network namespace, or in the one at <paramref name="namespacePath"/>.</summary>
    public static NetlinkConnection Open(string? namespacePath, NetlinkConnectionOptions? options, Func<ushort, string>? messageTypeName)
    {
        options ??= NetlinkConnectionOptions.Default;
        NetlinkSocket? socket;
        int errno = namespacePath is null
            ? NetlinkSocket.TryOpen(options.SocketBufferBytes, out socket)
            : NetlinkSocket.TryOpenInNamespace(namespacePath, options.SocketBufferBytes, out socket);
        if (errno != 0 || socket is null)
        {
            throw OpenFailure(errno, namespacePath);
        }

        return new NetlinkConnection(socket, options, messageTypeName);
    }

    public uint PortId => _socket.PortId;

    /// <summary>Reserves <paramref name="count"/> consecutive sequence numbers and returns the first.</summary>
    public uint ReserveSequences(int count)
    {
        uint first = _nextSequence;
        _nextSequence = unchecked(_nextSequence + (uint)count);
        if (_nextSequence < first)
        {
            _nextSequence = 1; // wrapped: never hand out a range that crosses zero
            first = _nextSequence;
            _nextSequence += (uint)count;
        }

        return first;
    }

    /// <summary>
    /// Sends a transaction (several messages in one datagram) and hands every error reply to
    /// <paramref name="onError"/>; no error reply means every message was accepted. The kernel processes a datagram
    /// synchronously inside sendmsg and queues its answers before sendmsg returns (af_netlink.c:
    /// netlink_unicast_kernel), so once sent, draining the socket without waiting gives the whole answer; counting
    /// acks instead hangs whenever the kernel sends fewer than expected.
    /// </summary>
    /// <exception cref="NetlinkException">Sending failed, or <see cref="NetlinkErrorKind.OutcomeUnknown"/> when the
    /// answer could not be read after the transaction was delivered.</exception>
    public void Transact<TState>(ReadOnlySpan<byte> messages, TState state, NetlinkErrorReplyHandler<TState> onError)
    {
        ArgumentNullException.ThrowIfNull(onError);
        DrainStale();
        EnsureSocketBuffer(messages.Length);
        Send(messages);

        try
        {
            ReadTransactionOutcome(state, onError);
        }
        catch (NetlinkException exception) when (exception.Kind is NetlinkErrorKind.ProtocolViolation or NetlinkErrorKind.Transport)
        {
            // The transaction was delivered; an answer we cannot read says nothing about whether it was applied.
            throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, exception.Errno, $"the kernel's answer to the batch could not be read ({exception.Message}); the outcome must be probed", null, null, -1, null, exception);
        }

        _mayHaveStaleReplies = false; // drained to EAGAIN
    }

    private void ReadTransactionOutcome<TState>(TState state, NetlinkErrorReplyHandler<TState> onError)
    {
        while (true)
        {
            int received = ReceiveDatagram(0);
            if (received == 0)
            {
                return;
            }

            var reader = new NetlinkMessageReader(ReceiveBuffer.AsSpan(0, received));
            while (reader.Read())
            {
                NetlinkMessage message = reader.Current;
                if (message.Type != (ushort)NetlinkMessageType.Error || !IsOurs(message.Header))
                {
                    continue;
                }

                NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                if (!reply.IsAcknowledgement)
                {
                    onError(state, reply);
                }
            }
        }
    }

    /// <summary>A failure to open the socket (or to enter the namespace), as the kind an operator can act on.</summary>
    internal static NetlinkException OpenFailure(int errno, string? namespacePath)
    {
        NetlinkErrorKind kind = NetlinkErrors.KindOf(errno, namespacePath is null ? NetlinkErrorSource.OpenSocket : NetlinkErrorSource.OpenSocketInNamespace);
        string subject = namespacePath is null ? "opening the netfilter netlink socket" : $"opening the netfilter netlink socket in namespace {namespacePath}";
        string text = kind == NetlinkErrorKind.Transport
            ? $"{subject} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})"
            : $"{subject}: {Errno.Name(errno)}";
        return new NetlinkException(kind, errno, text);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _requestBuffer.Dispose();
    }
}
