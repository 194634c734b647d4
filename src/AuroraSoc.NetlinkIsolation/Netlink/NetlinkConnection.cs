using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>Decodes one reply message into a result.</summary>
internal delegate T NetlinkMessageDecoder<out T>(in NetlinkMessage message);

/// <summary>Sees one error reply (not an acknowledgement) to a transaction.</summary>
internal delegate void NetlinkErrorReplyHandler<in TState>(TState state, in NetlinkErrorReply reply);

/// <summary>
/// A netlink request engine that knows no protocol family: it sends a transaction in one sendmsg and learns its
/// outcome without counting acks, runs single-reply requests and dumps with bounded waits, discards stale replies
/// and replies meant for another socket, and turns every failure into a <see cref="NetlinkException"/> whose kind
/// comes from <see cref="NetlinkErrors"/>. Not thread-safe: one request at a time.
/// </summary>
internal sealed class NetlinkConnection : IDisposable
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

    /// <summary>
    /// Starts the next request in the connection's request buffer: a message of <paramref name="type"/> with
    /// NLM_F_REQUEST and <paramref name="flags"/>. Write the family header and attributes, call
    /// <see cref="NetlinkWriter.EndMessage"/>, then <see cref="TryGet"/> or <see cref="Dump"/>, which give it a
    /// fresh sequence number each time they send it.
    /// </summary>
    public NetlinkWriter BeginRequest(ushort type, NetlinkMessageFlags flags, out MessageToken token)
    {
        _requestBuffer.Clear();
        var writer = new NetlinkWriter(_requestBuffer);
        token = writer.BeginMessage(type, NetlinkMessageFlags.Request | flags, 0);
        return writer;
    }

    /// <summary>
    /// Sends the request written after <see cref="BeginRequest"/> (without NLM_F_DUMP) and decodes its single reply;
    /// returns false when the kernel answers ENOENT (the object does not exist).
    /// </summary>
    public bool TryGet<T>(NetlinkMessageDecoder<T> decode, out T? result)
    {
        ArgumentNullException.ThrowIfNull(decode);
        return Exchange(decode, null, out result) == Completion.Answered;
    }

    /// <summary>
    /// Sends the dump request written after <see cref="BeginRequest"/> (with NLM_F_DUMP) and decodes every message
    /// until NLMSG_DONE. A dump interrupted by a concurrent change (NLM_F_DUMP_INTR, EINTR, or replies lost to
    /// ENOBUFS) is thrown away and run again, so the result is one consistent snapshot.
    /// </summary>
    public List<T> Dump<T>(NetlinkMessageDecoder<T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        for (int attempt = 1; ; attempt++)
        {
            var results = new List<T>();
            if (Exchange(decode, results, out _) == Completion.Answered)
            {
                return results;
            }

            if (attempt >= _options.MaxDumpAttempts)
            {
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.EINTR, $"the dumped objects changed during {attempt} consecutive {RequestTypeName} dumps; try again");
            }
        }
    }

    // Allocated on the first receive, not zeroed: every receive overwrites what it returns.
    private byte[] ReceiveBuffer => _receiveBuffer ??= GC.AllocateUninitializedArray<byte>(_options.ReceiveBufferBytes);

    private string RequestTypeName => _messageTypeName(BitConverter.ToUInt16(_requestBuffer.WrittenSpan[4..6]));

    /// <summary>
    /// One request and its replies: sends the request under a fresh sequence number, then reads until its single
    /// reply (<paramref name="dumpResults"/> null) or until NLMSG_DONE (a dump), each wait bounded by one deadline.
    /// </summary>
    private Completion Exchange<T>(NetlinkMessageDecoder<T> decode, List<T>? dumpResults, out T? single)
    {
        single = default;
        bool dump = dumpResults is not null;
        uint sequence = ReserveSequences(1);
        BitConverter.TryWriteBytes(_requestBuffer.Array.AsSpan(SequenceOffset, sizeof(uint)), sequence); // host order
        DrainStale();
        Send(_requestBuffer.WrittenSpan);

        bool interrupted = false;
        long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * _options.ReplyTimeoutMilliseconds / 1000;
        while (true)
        {
            int received;
            try
            {
                received = ReceiveDatagram(RemainingMilliseconds(deadline));
            }
            catch (NetlinkException exception) when (dump && exception.Kind == NetlinkErrorKind.OutcomeUnknown && exception.Errno == Errno.ENOBUFS)
            {
                return Completion.Interrupted; // part of the dump was dropped: run it again
            }

            if (received == 0)
            {
                throw new NetlinkException(
                    NetlinkErrorKind.OutcomeUnknown,
                    Errno.ETIMEDOUT,
                    dump ? $"dump {RequestTypeName} did not finish within {_options.ReplyTimeoutMilliseconds} ms" : $"no reply to {RequestTypeName} within {_options.ReplyTimeoutMilliseconds} ms");
            }

            var reader = new NetlinkMessageReader(ReceiveBuffer.AsSpan(0, received));
            while (reader.Read())
            {
                NetlinkMessage message = reader.Current;
                if (message.Header.Sequence != sequence || !IsOurs(message.Header))
                {
                    continue; // a stale reply to an earlier request
                }

                interrupted |= dump && (message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0;
                switch (message.Type)
                {
                    case (ushort)NetlinkMessageType.Done when dump:
                        _mayHaveStaleReplies = false;
                        return interrupted ? Completion.Interrupted : Completion.Answered;
                    case (ushort)NetlinkMessageType.Error:
                        NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                        if (!dump && reply.Error == -Errno.ENOENT)
                        {
                            _mayHaveStaleReplies = false;
                            return Completion.NotFound;
                        }

                        if (reply.IsAcknowledgement)
                        {
                            continue;
                        }

                        if (dump && (reply.Error == -Errno.EINTR || reply.Error == -Errno.ERESTART))
                        {
                            return Completion.Interrupted;
                        }

                        throw RequestRejected(-reply.Error, reply.KernelMessage);
                    case (ushort)NetlinkMessageType.Noop when dump:
                        continue;
                    default:
                        if (!dump)
                        {
                            single = decode(message);
                            _mayHaveStaleReplies = false;
                            return Completion.Answered;
                        }

                        if (!interrupted)
                        {
                            dumpResults!.Add(decode(message));
                        }

                        break;
                }
            }
        }
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

    private static int RemainingMilliseconds(long deadline)
    {
        long remaining = (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
        return (int)Math.Clamp(remaining, 0, int.MaxValue);
    }

    private NetlinkException RequestRejected(int errno, string? kernelMessage)
    {
        string typeName = RequestTypeName;
        NetlinkErrorKind kind = NetlinkErrors.KindOf(errno, NetlinkErrorSource.Reply);
        string text = kind == NetlinkErrorKind.KernelRejected
            ? $"the kernel rejected {typeName} with {Errno.Name(errno)} ({Errno.Describe(errno)})" + (kernelMessage is null ? string.Empty : $": {kernelMessage}")
            : $"{Errno.Name(errno)} on {typeName}";
        return new NetlinkException(kind, errno, text, kernelMessage, typeName, 0, null);
    }

    private static NetlinkException SocketCallFailed(int errno, NetlinkErrorSource source, string operation)
        => new(NetlinkErrors.KindOf(errno, source), errno, $"{operation} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})");

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

    private enum Completion
    {
        Answered,
        NotFound,
        Interrupted,
    }
}
