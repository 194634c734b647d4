using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Monitor;

/// <summary>
/// A netlink socket subscribed to NFNLGRP_NFTABLES in one network namespace: it hears every committed change to any
/// table there. When it falls behind, the kernel drops events and reports ENOBUFS once; the caller must then re-read
/// whatever it cares about (nft monitor and google/nftables do not). Not thread-safe: one reader.
/// </summary>
internal sealed class NfTablesMonitor : IDisposable
{
    /// <summary>Default SO_RCVBUF: room for the events of a few thousand-message transactions.</summary>
    public const int DefaultReceiveBufferBytes = 4 * 1024 * 1024;

    // The largest datagram: nf_tables packs notifications into skbs of at most NLMSG_GOODSIZE, and one rule event
    // alone stays well below 64 KiB (attribute lengths are 16 bits).
    private readonly byte[] _datagram = new byte[256 * 1024];
    private readonly NetlinkSocket _socket;

    private NfTablesMonitor(NetlinkSocket socket) => _socket = socket;

    /// <summary>The monitor socket's own port id (events never carry it: it commits nothing).</summary>
    public uint PortId => _socket.PortId;

    /// <summary>
    /// Subscribes in the namespace at <paramref name="namespacePath"/> (null: the calling thread's own) with a receive
    /// buffer of <paramref name="receiveBufferBytes"/>.
    /// </summary>
    public static NfTablesMonitor Open(string? namespacePath, int receiveBufferBytes = DefaultReceiveBufferBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(receiveBufferBytes);
        NetlinkSocket? socket;
        int errno = namespacePath is null
            ? NetlinkSocket.TryOpen(0, out socket)
            : NetlinkSocket.TryOpenInNamespace(namespacePath, 0, out socket);
        if (errno != 0 || socket is null)
        {
            throw NetlinkConnection.OpenFailure(errno, namespacePath);
        }

        errno = socket.SetReceiveBufferSize(receiveBufferBytes);
        if (errno == 0)
        {
            errno = socket.JoinGroup(NfNetlinkConstants.NFNLGRP_NFTABLES);
        }

        if (errno != 0)
        {
            socket.Dispose();
            throw new NetlinkException(NetlinkErrorKind.Transport, errno, $"subscribing to NFNLGRP_NFTABLES failed: {Errno.Name(errno)} ({Errno.Describe(errno)})");
        }

        return new NfTablesMonitor(socket);
    }

    /// <summary>
    /// Waits at most <paramref name="timeoutMilliseconds"/> for events, then takes every event already queued, and
    /// appends them in the order the kernel sent them.
    /// </summary>
    public MonitorReadOutcome Read(List<NfTablesEvent> events, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(events);
        int wait = timeoutMilliseconds;
        bool received = false;

        // Bounded: a storm of events must not keep the caller from acting on the ones it already has.
        for (int datagrams = 0; datagrams < 1024; datagrams++)
        {
            int result = _socket.Receive(_datagram, wait);
            wait = 0;
            if (result > 0)
            {
                received = true;
                NfTablesEventDecoder.DecodeDatagram(_datagram.AsSpan(0, result), events);
                continue;
            }

            switch (-result)
            {
                case Errno.EAGAIN:
                    return received ? MonitorReadOutcome.Events : MonitorReadOutcome.Timeout;
                case Errno.EINTR:
                    continue;
                case Errno.ENOBUFS or Errno.EMSGSIZE:
                    // The kernel dropped events for lack of room (or one was cut short): what happened is unknown.
                    return MonitorReadOutcome.EventsLost;
                default:
                    throw new NetlinkException(NetlinkErrorKind.Transport, -result, $"recvmsg on the nf_tables monitor failed: {Errno.Name(-result)} ({Errno.Describe(-result)})");
            }
        }

        return MonitorReadOutcome.Events;
    }

    public void Dispose() => _socket.Dispose();
}

/// <summary>How one <see cref="NfTablesMonitor.Read"/> ended.</summary>
internal enum MonitorReadOutcome
{
    /// <summary>Nothing arrived within the timeout.</summary>
    Timeout,

    /// <summary>Events were appended; none were lost.</summary>
    Events,

    /// <summary>The kernel dropped events (ENOBUFS): the events appended are incomplete, re-read the state.</summary>
    EventsLost,
}
