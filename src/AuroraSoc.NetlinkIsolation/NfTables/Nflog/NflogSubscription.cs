using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// A NETLINK_NETFILTER socket bound to one NFLOG group in one namespace: the packet copies the kernel sends there, and
/// how many were lost — sequence gaps of the group's own NFULA_SEQ (NFULA_SEQ_GLOBAL counts every group's packets), and
/// ENOBUFS when the socket's queue overflowed before the gap is seen.
/// </summary>
internal sealed class NflogSubscription : IDisposable
{
    // Room for bursts: 20 copies per chain of 128 bytes plus attributes fit many times over.
    private const int ReceiveBufferBytes = 1 << 20;
    private const int AckTimeoutMilliseconds = 5000;
    private const ushort NetlinkError = 2; // NLMSG_ERROR (linux/netlink.h)

    private readonly NetlinkSocket _socket;
    private readonly byte[] _buffer = new byte[1 << 16];
    private uint? _lastSequence;

    private NflogSubscription(NetlinkSocket socket, ushort group)
    {
        _socket = socket;
        Group = group;
    }

    /// <summary>The bound group.</summary>
    public ushort Group { get; }

    /// <summary>This socket's netlink port id, as /proc/net/netfilter/nfnetlink_log lists it.</summary>
    public uint PortId => _socket.PortId;

    /// <summary>Packets known lost: the sum of the sequence gaps, at least one per ENOBUFS not yet explained by a gap.</summary>
    public ulong Lost { get; private set; }

    /// <summary>
    /// Binds group <paramref name="group"/> in the namespace at <paramref name="namespacePath"/> (null: this process's).
    /// Returns 0 or errno: EPERM both without CAP_NET_ADMIN and when another socket holds the group (nfulnl_recv_config),
    /// EBUSY likewise on some kernels; open(2)'s errors for the namespace path.
    /// </summary>
    public static int TryBind(string? namespacePath, ushort group, out NflogSubscription? subscription)
    {
        subscription = null;
        NetlinkSocket? socket;
        int error = namespacePath is null
            ? NetlinkSocket.TryOpen(NetlinkConstants.NETLINK_NETFILTER, 0, out socket)
            : NetlinkSocket.TryOpenInNamespace(namespacePath, NetlinkConstants.NETLINK_NETFILTER, 0, out socket);
        if (error != 0)
        {
            return error;
        }

        var bound = new NflogSubscription(socket!, group);
        _ = socket!.SetReceiveBufferSize(ReceiveBufferBytes); // best effort: the default queue only loses more under floods
        error = bound.Configure(NflogBindRequest.Build(group, sequence: 1));
        if (error != 0)
        {
            bound.Dispose();
            return error;
        }

        subscription = bound;
        return 0;
    }

    /// <summary>
    /// Waits at most <paramref name="timeoutMilliseconds"/> for the next datagram and appends its packet copies to
    /// <paramref name="packets"/>. Returns false when nothing arrived in time.
    /// </summary>
    public bool Read(List<NflogPacket> packets, int timeoutMilliseconds)
    {
        ArgumentNullException.ThrowIfNull(packets);
        int received = _socket.Receive(_buffer, timeoutMilliseconds);
        if (received == -Errno.ENOBUFS)
        {
            Lost++; // the gap in NFULA_SEQ tells the rest once the next copy arrives
            _lastSequence = null;
            return true;
        }

        if (received < 0)
        {
            return received == -Errno.EAGAIN || received == -Errno.EINTR ? false
                : throw new Netlink.NetlinkException(Netlink.NetlinkErrorKind.KernelRejected, -received, "reading NFLOG copies failed: " + Errno.Describe(-received));
        }

        ReadOnlySpan<byte> datagram = _buffer.AsSpan(0, received);
        while (datagram.Length >= NetlinkConstants.NLMSG_HDRLEN)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(datagram);
            if (length < NetlinkConstants.NLMSG_HDRLEN || length > datagram.Length)
            {
                break;
            }

            if (BinaryPrimitives.ReadUInt16LittleEndian(datagram[4..]) == NflogPacketDecoder.PacketMessageType)
            {
                NflogPacket packet = NflogPacketDecoder.Decode(datagram[NetlinkConstants.NLMSG_HDRLEN..length]);
                CountGap(packet.Sequence);
                packets.Add(packet);
            }

            int aligned = (length + NetlinkConstants.NLMSG_ALIGNTO - 1) & ~(NetlinkConstants.NLMSG_ALIGNTO - 1);
            datagram = aligned >= datagram.Length ? default : datagram[aligned..];
        }

        return true;
    }

    private void CountGap(uint? sequence)
    {
        if (sequence is not { } current)
        {
            return;
        }

        if (_lastSequence is { } last && current != unchecked(last + 1))
        {
            Lost += unchecked(current - last - 1);
        }

        _lastSequence = current;
    }

    /// <summary>Sends a config request and waits for its acknowledgement; 0 or the kernel's errno.</summary>
    private int Configure(byte[] request)
    {
        int sent = _socket.Send(request);
        if (sent < 0)
        {
            return -sent;
        }

        while (true)
        {
            int received = _socket.Receive(_buffer, AckTimeoutMilliseconds);
            if (received < 0)
            {
                return -received;
            }

            if (received >= NetlinkConstants.NLMSG_HDRLEN + 4 && BinaryPrimitives.ReadUInt16LittleEndian(_buffer.AsSpan(4)) == NetlinkError)
            {
                return -BinaryPrimitives.ReadInt32LittleEndian(_buffer.AsSpan(NetlinkConstants.NLMSG_HDRLEN));
            }
        }
    }

    public void Dispose()
    {
        // Closing the socket releases the group (nfulnl_rcv_nl_event on NETLINK_URELEASE); no UNBIND needed.
        _socket.Dispose();
    }
}
