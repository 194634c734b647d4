using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>Decodes one message of a dump into a result.</summary>
public delegate T NetlinkMessageDecoder<out T>(in NetlinkMessage message);

/// <summary>
/// The request engine: sends a whole batch in one sendmsg, learns its outcome without counting acks, runs GET
/// requests and dumps, and turns every failure into a <see cref="NetlinkException"/> of a documented kind.
/// Not thread-safe: one request at a time (HostIsolator serialises callers).
/// </summary>
public sealed class NetlinkConnection : IDisposable
{
    private readonly INetlinkSocket _socket;
    private readonly NetlinkConnectionOptions _options;
    private readonly byte[] _receiveBuffer;
    private readonly NetlinkBuffer _requestBuffer = new(256);
    private uint _nextSequence;
    private int _socketBufferBytes;

    // True until a request has run to its normal end. Only a request cut short (timeout, exception, ENOBUFS) can
    // leave replies behind: a committed batch is drained to EAGAIN, a GET has exactly one reply, a dump ends with
    // NLMSG_DONE. Draining only then saves a system call on every probe (docs/benchmarks.md, Probe).
    private bool _mayHaveStaleReplies = true;

    public NetlinkConnection(INetlinkSocket socket, NetlinkConnectionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(socket);
        _socket = socket;
        _options = options ?? NetlinkConnectionOptions.Default;
        _receiveBuffer = new byte[_options.ReceiveBufferBytes];
        _socketBufferBytes = _options.SocketBufferBytes;

        // Any start works; a time-derived one keeps replies meant for an earlier process's socket (same port id
        // reused) from matching, as nft does with time(NULL).
        _nextSequence = (uint)Environment.TickCount64 | 1;
    }

    /// <summary>Opens a netfilter netlink socket in this thread's namespace, or in the one at <paramref name="namespacePath"/>.</summary>
    public static NetlinkConnection Open(string? namespacePath = null, NetlinkConnectionOptions? options = null)
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

        return new NetlinkConnection(socket, options);
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
    /// Sends a complete batch and returns when the kernel has committed it; throws when it refused it. The kernel
    /// processes a batch synchronously inside sendmsg and queues its errors before sendmsg returns, so once sent,
    /// draining the socket without waiting gives the whole answer (nft and google/nftables #330 do the same;
    /// counting acks hung google/nftables #242). No error means committed.
    /// </summary>
    public void Commit(NfTablesBatch batch)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (!batch.IsComplete)
        {
            throw new InvalidOperationException("The batch has no NFNL_MSG_BATCH_END; the kernel would discard it silently.");
        }

        DrainStale();
        EnsureSocketBuffer(batch.Bytes.Length);
        Send(batch.Bytes);

        BatchFailure? failure;
        try
        {
            failure = ReadBatchOutcome(batch);
        }
        catch (NetlinkException exception) when (exception.Kind is NetlinkErrorKind.ProtocolViolation or NetlinkErrorKind.Transport)
        {
            // The batch was delivered; an answer we cannot read says nothing about whether it was committed.
            throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, exception.Errno, $"the kernel's answer to the batch could not be read ({exception.Message}); the outcome must be probed", null, null, -1, null, exception);
        }

        _mayHaveStaleReplies = false; // drained to EAGAIN
        if (failure is { } f)
        {
            throw BatchRejected(f);
        }
    }

    private BatchFailure? ReadBatchOutcome(NfTablesBatch batch)
    {
        BatchFailure? failure = null;
        while (true)
        {
            int received = ReceiveDatagram(0);
            if (received == 0)
            {
                break;
            }

            var reader = new NetlinkMessageReader(_receiveBuffer.AsSpan(0, received));
            while (reader.Read())
            {
                NetlinkMessage message = reader.Current;
                if (message.Type != (ushort)NetlinkMessageType.Error || !IsOurs(message.Header))
                {
                    continue;
                }

                NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                if (reply.IsAcknowledgement || !batch.TryGetMessage(reply.Echoed.Sequence, out BatchMessage failed))
                {
                    continue;
                }

                // Keep the earliest failing message: later errors are often consequences of it.
                if (failure is null || failed.Index < failure.Value.Message.Index)
                {
                    string? attribute = reply.Offset is int offset ? AttributeLocator.Describe(batch.MessageBytes(failed), offset) : null;
                    failure = new BatchFailure(-reply.Error, failed, reply.KernelMessage, attribute);
                }
            }
        }

        return failure;
    }

    /// <summary>
    /// Sends one GET request (no NLM_F_DUMP) and decodes its single reply; returns false when the kernel answers
    /// ENOENT (the object does not exist).
    /// </summary>
    public bool TryGet<T>(NfTablesMessageType type, NfProtocolFamily family, ushort nameAttribute, string name, NetlinkMessageDecoder<T> decode, out T? result)
    {
        ArgumentNullException.ThrowIfNull(decode);
        uint sequence = WriteRequest(type, family, NetlinkMessageFlags.None, nameAttribute, name);
        DrainStale();
        Send(_requestBuffer.WrittenSpan);

        long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * _options.ReplyTimeoutMilliseconds / 1000;
        while (true)
        {
            int received = ReceiveDatagram(RemainingMilliseconds(deadline));
            if (received == 0)
            {
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.ETIMEDOUT, $"no reply to {NfTablesMessageNames.Name(NfNetlinkConstants.NfTablesType(type))} within {_options.ReplyTimeoutMilliseconds} ms");
            }

            var reader = new NetlinkMessageReader(_receiveBuffer.AsSpan(0, received));
            while (reader.Read())
            {
                NetlinkMessage message = reader.Current;
                if (message.Header.Sequence != sequence || !IsOurs(message.Header))
                {
                    continue; // a stale reply to an earlier request
                }

                if (message.Type == (ushort)NetlinkMessageType.Error)
                {
                    NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                    if (reply.Error == -Errno.ENOENT)
                    {
                        _mayHaveStaleReplies = false;
                        result = default;
                        return false;
                    }

                    if (reply.IsAcknowledgement)
                    {
                        continue;
                    }

                    throw RequestRejected(-reply.Error, type, reply.KernelMessage);
                }

                result = decode(message);
                _mayHaveStaleReplies = false;
                return true;
            }
        }
    }

    /// <summary>
    /// Runs a dump and decodes every message until NLMSG_DONE. A dump interrupted by a concurrent commit
    /// (NLM_F_DUMP_INTR) is thrown away and run again, so the result is one consistent snapshot.
    /// </summary>
    public List<T> Dump<T>(NfTablesMessageType type, NfProtocolFamily family, ushort filterAttribute, string? filterValue, NetlinkMessageDecoder<T> decode)
    {
        ArgumentNullException.ThrowIfNull(decode);
        for (int attempt = 1; ; attempt++)
        {
            List<T>? results = TryDumpOnce(type, family, filterAttribute, filterValue, decode);
            if (results is not null)
            {
                return results;
            }

            if (attempt >= _options.MaxDumpAttempts)
            {
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.EINTR, $"the ruleset changed during {attempt} consecutive {NfTablesMessageNames.Name(NfNetlinkConstants.NfTablesType(type))} dumps; try again");
            }
        }
    }

    /// <summary>The ruleset generation id (NFT_MSG_GETGEN); it changes with every committed batch.</summary>
    public uint GetGeneration()
    {
        TryGet(NfTablesMessageType.GetGen, NfProtocolFamily.Unspecified, 0, string.Empty, static (in NetlinkMessage m) => ReadGeneration(m), out uint generation);
        return generation;
    }

    private static uint ReadGeneration(in NetlinkMessage message)
    {
        NetlinkAttributeReader attributes = message.NfAttributes();
        while (attributes.Read())
        {
            if (attributes.Type == (ushort)NftGenAttribute.Id)
            {
                return attributes.GetUInt32BigEndian();
            }
        }

        throw new NetlinkProtocolException("NFT_MSG_NEWGEN without NFTA_GEN_ID.");
    }

    private List<T>? TryDumpOnce<T>(NfTablesMessageType type, NfProtocolFamily family, ushort filterAttribute, string? filterValue, NetlinkMessageDecoder<T> decode)
    {
        uint sequence = WriteRequest(type, family, NetlinkMessageFlags.Dump, filterAttribute, filterValue);
        DrainStale();
        Send(_requestBuffer.WrittenSpan);

        var results = new List<T>();
        bool interrupted = false;
        long deadline = Stopwatch.GetTimestamp() + Stopwatch.Frequency * _options.ReplyTimeoutMilliseconds / 1000;
        while (true)
        {
            int received;
            try
            {
                received = ReceiveDatagram(RemainingMilliseconds(deadline));
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.OutcomeUnknown && exception.Errno == Errno.ENOBUFS)
            {
                return null; // part of the dump was dropped: run it again
            }

            if (received == 0)
            {
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.ETIMEDOUT, $"dump {NfTablesMessageNames.Name(NfNetlinkConstants.NfTablesType(type))} did not finish within {_options.ReplyTimeoutMilliseconds} ms");
            }

            var reader = new NetlinkMessageReader(_receiveBuffer.AsSpan(0, received));
            while (reader.Read())
            {
                NetlinkMessage message = reader.Current;
                if (message.Header.Sequence != sequence || !IsOurs(message.Header))
                {
                    continue;
                }

                interrupted |= (message.Flags & NetlinkMessageFlags.DumpInterrupted) != 0;
                switch (message.Type)
                {
                    case (ushort)NetlinkMessageType.Done:
                        _mayHaveStaleReplies = false;
                        return interrupted ? null : results;
                    case (ushort)NetlinkMessageType.Error:
                        NetlinkErrorReply reply = NetlinkErrorReply.Parse(message);
                        if (reply.IsAcknowledgement)
                        {
                            continue;
                        }

                        if (reply.Error == -Errno.EINTR || reply.Error == -Errno.ERESTART)
                        {
                            return null;
                        }

                        throw RequestRejected(-reply.Error, type, reply.KernelMessage);
                    case (ushort)NetlinkMessageType.Noop:
                        continue;
                    default:
                        if (!interrupted)
                        {
                            results.Add(decode(message));
                        }

                        break;
                }
            }
        }
    }

    private uint WriteRequest(NfTablesMessageType type, NfProtocolFamily family, NetlinkMessageFlags flags, ushort attribute, string? value)
    {
        uint sequence = ReserveSequences(1);
        _requestBuffer.Clear();
        var writer = new NetlinkWriter(_requestBuffer);
        MessageToken token = writer.BeginMessage(NfNetlinkConstants.NfTablesType(type), NetlinkMessageFlags.Request | flags, sequence);
        writer.WriteNfGenMessage(family, 0);
        if (attribute != 0 && value is not null)
        {
            writer.WriteString(attribute, value);
        }

        writer.EndMessage(token);
        return sequence;
    }

    /// <summary>Discards replies left over from an earlier request (google/nftables #235, #239).</summary>
    private void DrainStale()
    {
        if (!_mayHaveStaleReplies)
        {
            _mayHaveStaleReplies = true; // until this request ends normally
            return;
        }

        for (int i = 0; i < 4096; i++)
        {
            int result = _socket.Receive(_receiveBuffer, 0);
            if (result == -Errno.EAGAIN)
            {
                return;
            }

            if (result < 0 && result != -Errno.EINTR && result != -Errno.ENOBUFS && result != -Errno.EMSGSIZE)
            {
                throw Transport(-result, "receive");
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
                continue; // nothing was delivered: the kernel handles a batch only after sendmsg copied it all
            }

            throw errno switch
            {
                Errno.ENOBUFS or Errno.ENOMEM => new NetlinkException(NetlinkErrorKind.OutcomeUnknown, errno, $"sendmsg failed with {Errno.Name(errno)}"),
                Errno.EPERM or Errno.EACCES => new NetlinkException(NetlinkErrorKind.PermissionDenied, errno, NetlinkException.Describe(NetlinkErrorKind.PermissionDenied, errno)),
                Errno.EMSGSIZE => new NetlinkException(NetlinkErrorKind.Transport, errno, $"batch of {datagram.Length} bytes is larger than the socket accepts (EMSGSIZE); reduce the number of endpoints"),
                _ => Transport(errno, "sendmsg"),
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

            int result = _socket.Receive(_receiveBuffer, timeoutMilliseconds);
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
                    // The kernel dropped replies for lack of room: whatever was sent may have been committed.
                    throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.ENOBUFS, "the kernel dropped replies (ENOBUFS); the outcome must be probed");
                case Errno.EMSGSIZE:
                    throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.EMSGSIZE, $"a reply was larger than the {_receiveBuffer.Length}-byte receive buffer");
                default:
                    throw Transport(-result, "recvmsg");
            }
        }
    }

    /// <summary>Replies to a request carry the requester's port id (af_netlink.c netlink_ack, netlink_dump).</summary>
    private bool IsOurs(in NetlinkMessageHeader header) => header.PortId == _socket.PortId;

    private void EnsureSocketBuffer(int batchBytes)
    {
        int wanted = batchBytes + 64 * 1024;
        if (wanted <= _socketBufferBytes)
        {
            return;
        }

        int errno = _socket.EnsureBufferSize(wanted);
        if (errno != 0)
        {
            throw Transport(errno, "setsockopt(SO_SNDBUF)");
        }

        _socketBufferBytes = wanted;
    }

    private static int RemainingMilliseconds(long deadline)
    {
        long remaining = (deadline - Stopwatch.GetTimestamp()) * 1000 / Stopwatch.Frequency;
        return (int)Math.Clamp(remaining, 0, int.MaxValue);
    }

    private static NetlinkException BatchRejected(BatchFailure failure)
    {
        int errno = failure.Errno;
        BatchMessage message = failure.Message;
        NetlinkErrorKind kind = errno switch
        {
            Errno.EPERM or Errno.EACCES => NetlinkErrorKind.PermissionDenied,

            // nfnetlink answers BATCH_BEGIN with EOPNOTSUPP when no nf_tables subsystem is registered.
            Errno.EOPNOTSUPP when message.Index == 0 => NetlinkErrorKind.NfTablesUnavailable,
            _ => NetlinkErrorKind.KernelRejected,
        };

        string where = failure.Attribute is null ? message.TypeName : $"{message.TypeName} attribute {failure.Attribute}";
        string text = kind switch
        {
            NetlinkErrorKind.KernelRejected =>
                $"the kernel rejected message {message.Index} ({where}) with {Errno.Name(errno)} ({Errno.Describe(errno)})"
                + (failure.KernelMessage is null ? string.Empty : $": {failure.KernelMessage}")
                + "; nothing was changed",
            _ => NetlinkException.Describe(kind, errno) + $" ({Errno.Name(errno)} on {message.TypeName}); nothing was changed",
        };

        return new NetlinkException(kind, errno, text, failure.KernelMessage, message.TypeName, message.Index, failure.Attribute);
    }

    private static NetlinkException RequestRejected(int errno, NfTablesMessageType type, string? kernelMessage)
    {
        string typeName = NfTablesMessageNames.Name(NfNetlinkConstants.NfTablesType(type));
        NetlinkErrorKind kind = errno switch
        {
            Errno.EPERM or Errno.EACCES => NetlinkErrorKind.PermissionDenied,
            Errno.EOPNOTSUPP or Errno.EAFNOSUPPORT or Errno.EPROTONOSUPPORT => NetlinkErrorKind.NfTablesUnavailable,
            _ => NetlinkErrorKind.KernelRejected,
        };
        string text = kind == NetlinkErrorKind.KernelRejected
            ? $"the kernel rejected {typeName} with {Errno.Name(errno)} ({Errno.Describe(errno)})" + (kernelMessage is null ? string.Empty : $": {kernelMessage}")
            : NetlinkException.Describe(kind, errno) + $" ({Errno.Name(errno)} on {typeName})";
        return new NetlinkException(kind, errno, text, kernelMessage, typeName, 0, null);
    }

    private static NetlinkException Transport(int errno, string operation)
        => new(NetlinkErrorKind.Transport, errno, $"{operation} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})");

    /// <summary>Maps a failure to open the socket (or enter the namespace) to the kind an operator can act on.</summary>
    internal static NetlinkException OpenFailure(int errno, string? namespacePath)
    {
        NetlinkErrorKind kind = errno switch
        {
            Errno.EPERM or Errno.EACCES => NetlinkErrorKind.PermissionDenied,
            Errno.EPROTONOSUPPORT or Errno.EAFNOSUPPORT => NetlinkErrorKind.NfTablesUnavailable,
            Errno.ENOENT or Errno.ESRCH or Errno.ENOTDIR when namespacePath is not null => NetlinkErrorKind.NamespaceNotFound,
            Errno.EINVAL when namespacePath is not null => NetlinkErrorKind.NotANamespace,
            _ => NetlinkErrorKind.Transport,
        };
        string subject = namespacePath is null ? "opening the netfilter netlink socket" : $"opening the netfilter netlink socket in namespace {namespacePath}";
        string text = kind == NetlinkErrorKind.Transport
            ? $"{subject} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})"
            : $"{NetlinkException.Describe(kind, errno)} ({subject}: {Errno.Name(errno)})";
        return new NetlinkException(kind, errno, text);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _requestBuffer.Dispose();
    }

    private readonly record struct BatchFailure(int Errno, BatchMessage Message, string? KernelMessage, string? Attribute);
}
