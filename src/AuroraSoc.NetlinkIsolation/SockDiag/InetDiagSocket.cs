using System.Buffers.Binary;
using System.Net;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>One TCP socket as a SOCK_DIAG_BY_FAMILY dump reports it (struct inet_diag_msg).</summary>
internal sealed class InetDiagSocket
{
    private InetDiagSocket(InetDiagMessage message, IPEndPoint local, IPEndPoint remote, ulong? cgroupId)
    {
        Message = message;
        Local = local;
        Remote = remote;
        CgroupId = cgroupId;
    }

    /// <summary>The local end (an IPv6 socket connected to IPv4 shows IPv4-mapped addresses).</summary>
    public IPEndPoint Local { get; }

    /// <summary>The remote end.</summary>
    public IPEndPoint Remote { get; }

    /// <summary>The TCP state (1 = established).</summary>
    public byte State => Message.State;

    /// <summary>The owner's uid.</summary>
    public uint Uid => Message.Uid;

    /// <summary>The cgroup v2 id the socket was created in (INET_DIAG_CGROUP_ID); null on a kernel that does not report it.</summary>
    public ulong? CgroupId { get; }

    /// <summary>The socket's inode, as /proc/PID/fd shows it (socket:[INODE]).</summary>
    public uint Inode => Message.Inode;

    /// <summary>The kernel's reply, kept whole: SOCK_DESTROY must repeat its family and id, cookie included.</summary>
    internal InetDiagMessage Message { get; }

    public override string ToString() => $"{Local} -> {Remote} (inode {Inode}, uid {Uid})";

    /// <summary>Decodes one dump reply: struct inet_diag_msg, then attributes this project does not ask for.</summary>
    internal static InetDiagSocket Decode(in NetlinkMessage message)
    {
        if (message.Type != SockDiagConstants.SOCK_DIAG_BY_FAMILY)
        {
            throw new NetlinkProtocolException($"expected SOCK_DIAG_BY_FAMILY in a socket dump, got message type {message.Type}.");
        }

        if (message.Payload.Length < InetDiagMessage.Size)
        {
            throw new NetlinkProtocolException($"inet_diag_msg of {message.Payload.Length} bytes is shorter than {InetDiagMessage.Size}.");
        }

        InetDiagMessage body = MemoryMarshal.Read<InetDiagMessage>(message.Payload);
        int addressLength = body.Family switch
        {
            SockDiagConstants.AF_INET => 4,
            SockDiagConstants.AF_INET6 => 16,
            _ => throw new NetlinkProtocolException($"inet_diag_msg for address family {body.Family}."),
        };

        ulong? cgroupId = null;
        var attributes = new NetlinkAttributeReader(message.Payload[InetDiagMessage.Size..]);
        while (attributes.Read())
        {
            if (attributes.Type == SockDiagConstants.INET_DIAG_CGROUP_ID && attributes.Value.Length == 8)
            {
                cgroupId = MemoryMarshal.Read<ulong>(attributes.Value); // host order, as nla_put_u64_64bit writes it
            }
        }

        return new InetDiagSocket(body, EndPoint(body.Id.Source, body.Id.SourcePortBigEndian, addressLength), EndPoint(body.Id.Destination, body.Id.DestinationPortBigEndian, addressLength), cgroupId);
    }

    private static IPEndPoint EndPoint(InetDiagAddress address, ushort portBigEndian, int addressLength)
    {
        Span<byte> bytes = stackalloc byte[InetDiagAddress.Size];
        address.CopyTo(bytes);
        ushort port = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(portBigEndian) : portBigEndian;
        return new IPEndPoint(new IPAddress(bytes[..addressLength]), port);
    }
}
