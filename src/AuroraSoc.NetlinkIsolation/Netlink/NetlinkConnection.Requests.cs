using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Netlink;

// Single-reply requests and dumps: one request under a fresh sequence number, read until its one reply or until
// NLMSG_DONE, a dump run again when a concurrent change interrupted it.
internal sealed partial class NetlinkConnection
{
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

    private enum Completion
    {
        Answered,
        NotFound,
        Interrupted,
    }
}
