using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>How a DHCP client exchange ended.</summary>
public enum DhcpOutcome
{
    /// <summary>The whole exchange completed: DISCOVER/OFFER/REQUEST/ACK (v4) or SOLICIT/ADVERTISE/REQUEST/REPLY (v6).</summary>
    Leased,

    /// <summary>The first message went out but nothing answered within the timeout.</summary>
    NoOffer,

    /// <summary>The offer arrived but the acknowledgement did not.</summary>
    NoAck,

    /// <summary>The local stack refused to send (EPERM: an output rule dropped the packet).</summary>
    SendDenied,

    /// <summary>Any other socket error.</summary>
    Failed,

    /// <summary>Inbound only: a server message sent without a request arrived at the client port.</summary>
    Received,
}

/// <summary>The result of a client exchange: how it ended, the leased address, the time it took.</summary>
public sealed record DhcpResult(DhcpOutcome Outcome, IPAddress? Leased, TimeSpan Elapsed, string Detail = "");

/// <summary>
/// Just enough DHCP (RFC 2131 / RFC 8415) to prove that a real exchange crosses the veth: genuine BOOTP-format
/// and DHCPv6 messages, sent and answered over UDP sockets bound to the well-known ports. Written in the test
/// rather than using dnsmasq so each run is in-process, needs no daemon or lease file, and the server's source
/// address is under control (the gateway, never a collector, so the collector rules cannot let the answer in).
/// </summary>
internal static class Dhcp
{
    public const int ServerPortV4 = 67;
    public const int ClientPortV4 = 68;
    public const int ClientPortV6 = 546;
    public const int ServerPortV6 = 547;

    /// <summary>All_DHCP_Relay_Agents_and_Servers.</summary>
    public static readonly IPAddress AllServersV6 = IPAddress.Parse("ff02::1:2");

    private const int SolSocket = 1;
    private const int SoBindToDevice = 25;

    /// <summary>Binds <paramref name="socket"/> to an interface (<c>SO_BINDTODEVICE</c>).</summary>
    public static void BindToDevice(Socket socket, string interfaceName)
    {
        var name = Encoding.ASCII.GetBytes(interfaceName + "\0");
        socket.SetRawSocketOption(SolSocket, SoBindToDevice, name);
    }

    /// <summary>The ifindex of <paramref name="interfaceName"/> inside <paramref name="ns"/>.</summary>
    public static int InterfaceIndex(ThrowawayNamespace ns, string interfaceName)
    {
        // `ip -o link show dev X` prints "5: X@if4: <...> ...".
        var line = ns.Ip("-o", "link", "show", "dev", interfaceName);
        var colon = line.IndexOf(':', StringComparison.Ordinal);
        return int.Parse(line.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    /// <summary>The link-local IPv6 address of <paramref name="interfaceName"/> inside <paramref name="ns"/>.</summary>
    public static IPAddress LinkLocalAddress(ThrowawayNamespace ns, string interfaceName)
    {
        // `ip -6 -o addr show dev X scope link` prints "5: X    inet6 fe80::…/64 scope link ...".
        var fields = ns.Ip("-6", "-o", "addr", "show", "dev", interfaceName, "scope", "link").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var text = fields[Array.IndexOf(fields, "inet6") + 1];
        return IPAddress.Parse(text[..text.IndexOf('/', StringComparison.Ordinal)]);
    }

    /// <summary>Binds a client socket, calls <paramref name="trigger"/> (a server sends without being asked), and
    /// waits for a datagram that <paramref name="accept"/> recognises: the inbound half of an exchange alone.</summary>
    internal static DhcpResult AwaitUnsolicited(Socket socket, Action trigger, Func<byte[], bool> accept, TimeSpan timeout)
    {
        using (socket)
        {
            var clock = Stopwatch.StartNew();
            trigger();
            var received = ReceiveUntil(socket, clock, timeout, data => accept(data) ? data : null);
            return new DhcpResult(received is null ? DhcpOutcome.NoOffer : DhcpOutcome.Received, null, clock.Elapsed);
        }
    }

    internal static uint NewTransactionId() => BinaryPrimitives.ReadUInt32BigEndian(RandomNumberGenerator.GetBytes(4));

    internal static DhcpResult Classify(SocketException ex, TimeSpan elapsed) =>
        ex.SocketErrorCode is SocketError.AccessDenied
            ? new DhcpResult(DhcpOutcome.SendDenied, null, elapsed, ex.SocketErrorCode.ToString())
            : new DhcpResult(DhcpOutcome.Failed, null, elapsed, ex.SocketErrorCode.ToString());

    /// <summary>Receives datagrams until <paramref name="accept"/> returns a value or <paramref name="deadline"/> passes.</summary>
    internal static T? ReceiveUntil<T>(Socket socket, Stopwatch clock, TimeSpan deadline, Func<byte[], T?> accept)
        where T : class
    {
        var buffer = new byte[2048];
        EndPoint any = socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (true)
        {
            var left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                return null;
            }

            using var cancellation = new CancellationTokenSource(left);
            try
            {
                var received = socket.ReceiveFromAsync(buffer, SocketFlags.None, any, cancellation.Token).AsTask().GetAwaiter().GetResult();
                if (accept(buffer[..received.ReceivedBytes]) is { } value)
                {
                    return value;
                }
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }
    }
}

/// <summary>A BOOTP/DHCPv4 message (RFC 2131 §2): fixed 236-byte header, magic cookie, options.</summary>
internal sealed record Dhcp4Message(
    byte Op,
    uint TransactionId,
    ushort Flags,
    IPAddress YourAddress,
    IPAddress ServerAddress,
    byte[] ClientHardwareAddress,
    IReadOnlyList<KeyValuePair<byte, byte[]>> Options)
{
    public const byte BootRequest = 1;
    public const byte BootReply = 2;
    public const byte Discover = 1;
    public const byte Offer = 2;
    public const byte Request = 3;
    public const byte Ack = 5;

    public const byte OptionSubnetMask = 1;
    public const byte OptionRouter = 3;
    public const byte OptionRequestedAddress = 50;
    public const byte OptionLeaseTime = 51;
    public const byte OptionMessageType = 53;
    public const byte OptionServerId = 54;
    public const byte OptionParameterList = 55;
    public const byte OptionClientId = 61;

    private const int HeaderLength = 236;
    private static readonly byte[] MagicCookie = [99, 130, 83, 99];

    public byte? MessageType => Option(OptionMessageType) is [var type] ? type : null;

    public byte[]? Option(byte code) => Options.FirstOrDefault(o => o.Key == code).Value;

    public byte[] Encode()
    {
        var length = HeaderLength + MagicCookie.Length + Options.Sum(o => 2 + o.Value.Length) + 1;
        var packet = new byte[Math.Max(length, 300)]; // BOOTP minimum size; the padding is zero (pad option)
        packet[0] = Op;
        packet[1] = 1; // htype: Ethernet
        packet[2] = 6; // hlen
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), TransactionId);
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(10), Flags);
        YourAddress.GetAddressBytes().CopyTo(packet, 16);
        ServerAddress.GetAddressBytes().CopyTo(packet, 20);
        ClientHardwareAddress.CopyTo(packet, 28);
        MagicCookie.CopyTo(packet, HeaderLength);
        var offset = HeaderLength + MagicCookie.Length;
        foreach (var (code, value) in Options)
        {
            packet[offset++] = code;
            packet[offset++] = checked((byte)value.Length);
            value.CopyTo(packet, offset);
            offset += value.Length;
        }

        packet[offset] = 255; // end
        return packet;
    }

    public static Dhcp4Message? TryDecode(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < HeaderLength + MagicCookie.Length || packet[1] != 1 || packet[2] != 6
            || !packet.Slice(HeaderLength, MagicCookie.Length).SequenceEqual(MagicCookie))
        {
            return null;
        }

        var options = new List<KeyValuePair<byte, byte[]>>();
        var offset = HeaderLength + MagicCookie.Length;
        while (offset < packet.Length && packet[offset] != 255)
        {
            if (packet[offset] == 0)
            {
                offset++;
                continue;
            }

            if (offset + 2 > packet.Length || offset + 2 + packet[offset + 1] > packet.Length)
            {
                return null;
            }

            options.Add(new(packet[offset], packet.Slice(offset + 2, packet[offset + 1]).ToArray()));
            offset += 2 + packet[offset + 1];
        }

        return new Dhcp4Message(
            packet[0],
            BinaryPrimitives.ReadUInt32BigEndian(packet[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(packet[10..]),
            new IPAddress(packet.Slice(16, 4)),
            new IPAddress(packet.Slice(20, 4)),
            packet.Slice(28, 6).ToArray(),
            options);
    }
}

/// <summary>A DHCPv4 server for one interface: answers DISCOVER with OFFER and REQUEST with ACK, broadcast to
/// 255.255.255.255:68 from <c>serverAddress:67</c>.</summary>
internal sealed class Dhcp4Server : IDisposable
{
    private readonly Socket receiver;
    private readonly Socket sender;
    private readonly IPAddress serverAddress;
    private readonly IPAddress offeredAddress;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<byte> received = new();
    private readonly Task loop;

    private Dhcp4Server(Socket receiver, Socket sender, IPAddress serverAddress, IPAddress offeredAddress)
    {
        this.receiver = receiver;
        this.sender = sender;
        this.serverAddress = serverAddress;
        this.offeredAddress = offeredAddress;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Message types received so far (1 = DISCOVER, 3 = REQUEST), in order.</summary>
    public IReadOnlyList<byte> Received => [.. received];

    /// <summary>Broadcasts an OFFER nobody asked for (the inbound half of an exchange on its own).</summary>
    public void SendOffer(uint transactionId, byte[] hardwareAddress) =>
        sender.SendTo(Answer(Dhcp4Message.Offer, transactionId, 0x8000, hardwareAddress).Encode(), new IPEndPoint(IPAddress.Broadcast, Dhcp.ClientPortV4));

    public static Dhcp4Server Start(ThrowawayNamespace ns, string interfaceName, IPAddress serverAddress, IPAddress offeredAddress)
    {
        var (receiver, sender) = ns.RunInside(() =>
        {
            // Receives the broadcasts: bound to 0.0.0.0:67 on the interface.
            var listen = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            // Sends the answers from serverAddress:67, so their source is the server and not whichever address
            // the kernel would pick for the interface (the collector, which the isolation rules let in anyway).
            var send = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                foreach (var socket in new[] { listen, send })
                {
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    socket.EnableBroadcast = true;
                    Dhcp.BindToDevice(socket, interfaceName);
                }

                listen.Bind(new IPEndPoint(IPAddress.Any, Dhcp.ServerPortV4));
                send.Bind(new IPEndPoint(serverAddress, Dhcp.ServerPortV4));
                return (listen, send);
            }
            catch
            {
                listen.Dispose();
                send.Dispose();
                throw;
            }
        });
        return new Dhcp4Server(receiver, sender, serverAddress, offeredAddress);
    }

    public void Dispose()
    {
        stopping.Cancel();
        receiver.Dispose();
        sender.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Loop ended by the dispose above.
        }

        stopping.Dispose();
    }

    private Dhcp4Message Answer(byte type, uint transactionId, ushort flags, byte[] hardwareAddress) => new(
        Dhcp4Message.BootReply,
        transactionId,
        flags,
        offeredAddress,
        serverAddress,
        hardwareAddress,
        [
            new(Dhcp4Message.OptionMessageType, [type]),
            new(Dhcp4Message.OptionServerId, serverAddress.GetAddressBytes()),
            new(Dhcp4Message.OptionLeaseTime, [0, 0, 0x0e, 0x10]),
            new(Dhcp4Message.OptionSubnetMask, [255, 255, 255, 0]),
            new(Dhcp4Message.OptionRouter, serverAddress.GetAddressBytes()),
        ]);

    private async Task LoopAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var datagram = await receiver.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token);
                var request = Dhcp4Message.TryDecode(buffer.AsSpan(0, datagram.ReceivedBytes));
                if (request is not { Op: Dhcp4Message.BootRequest, MessageType: { } type })
                {
                    continue;
                }

                received.Enqueue(type);
                byte? answer = type switch
                {
                    Dhcp4Message.Discover => Dhcp4Message.Offer,
                    Dhcp4Message.Request when request.Option(Dhcp4Message.OptionServerId) is { } id
                        && new IPAddress(id).Equals(serverAddress) => Dhcp4Message.Ack,
                    _ => null,
                };
                if (answer is null)
                {
                    continue;
                }

                var reply = Answer(answer.Value, request.TransactionId, request.Flags, request.ClientHardwareAddress);
                await sender.SendToAsync(reply.Encode(), SocketFlags.None, new IPEndPoint(IPAddress.Broadcast, Dhcp.ClientPortV4), stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Keep serving.
            }
        }
    }
}

/// <summary>A DHCPv4 client: broadcasts DISCOVER from 0.0.0.0:68 on one interface (the source address the kernel
/// picks for a bound-to-device socket; the rules only look at the ports), then REQUEST for the offer.</summary>
internal static class Dhcp4Client
{
    /// <summary>Listens on 0.0.0.0:68 while <paramref name="server"/> broadcasts an unrequested OFFER.</summary>
    public static DhcpResult AwaitOffer(ThrowawayNamespace ns, string interfaceName, Dhcp4Server server, byte[] hardwareAddress, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        var xid = Dhcp.NewTransactionId();
        return Dhcp.AwaitUnsolicited(
            Open(ns, interfaceName),
            () => server.SendOffer(xid, hardwareAddress),
            data => Reply(data, xid, Dhcp4Message.Offer) is not null,
            timeout);
    }

    public static DhcpResult Exchange(ThrowawayNamespace ns, string interfaceName, byte[] hardwareAddress, TimeSpan timeout)
    {
        var socket = Open(ns, interfaceName);
        using (socket)
        {
            var clock = Stopwatch.StartNew();
            var xid = Dhcp.NewTransactionId();
            var broadcast = new IPEndPoint(IPAddress.Broadcast, Dhcp.ServerPortV4);
            byte[] clientId = [1, .. hardwareAddress];
            try
            {
                var discover = new Dhcp4Message(
                    Dhcp4Message.BootRequest, xid, 0x8000, IPAddress.Any, IPAddress.Any, hardwareAddress,
                    [
                        new(Dhcp4Message.OptionMessageType, [Dhcp4Message.Discover]),
                        new(Dhcp4Message.OptionClientId, clientId),
                        new(Dhcp4Message.OptionParameterList, [Dhcp4Message.OptionSubnetMask, Dhcp4Message.OptionRouter]),
                    ]);
                socket.SendTo(discover.Encode(), broadcast);
                var offer = Dhcp.ReceiveUntil(socket, clock, timeout, data => Reply(data, xid, Dhcp4Message.Offer));
                if (offer?.Option(Dhcp4Message.OptionServerId) is not { Length: 4 } serverId)
                {
                    return new DhcpResult(DhcpOutcome.NoOffer, null, clock.Elapsed);
                }

                var request = discover with
                {
                    Options =
                    [
                        new(Dhcp4Message.OptionMessageType, [Dhcp4Message.Request]),
                        new(Dhcp4Message.OptionClientId, clientId),
                        new(Dhcp4Message.OptionRequestedAddress, offer.YourAddress.GetAddressBytes()),
                        new(Dhcp4Message.OptionServerId, serverId),
                    ],
                };
                socket.SendTo(request.Encode(), broadcast);
                var ack = Dhcp.ReceiveUntil(socket, clock, timeout, data => Reply(data, xid, Dhcp4Message.Ack));
                return ack is null
                    ? new DhcpResult(DhcpOutcome.NoAck, offer.YourAddress, clock.Elapsed)
                    : new DhcpResult(DhcpOutcome.Leased, ack.YourAddress, clock.Elapsed, $"server {new IPAddress(serverId)}");
            }
            catch (SocketException ex)
            {
                return Dhcp.Classify(ex, clock.Elapsed);
            }
        }
    }

    private static Socket Open(ThrowawayNamespace ns, string interfaceName) => ns.RunInside(() =>
    {
        var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            client.EnableBroadcast = true;
            Dhcp.BindToDevice(client, interfaceName);
            client.Bind(new IPEndPoint(IPAddress.Any, Dhcp.ClientPortV4));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    });

    private static Dhcp4Message? Reply(byte[] data, uint xid, byte type) =>
        Dhcp4Message.TryDecode(data) is { Op: Dhcp4Message.BootReply } reply && reply.TransactionId == xid && reply.MessageType == type
            ? reply
            : null;
}

/// <summary>A DHCPv6 message (RFC 8415 §8): msg-type, 3-byte transaction id, options (16-bit code and length).</summary>
internal sealed record Dhcp6Message(byte Type, int TransactionId, IReadOnlyList<KeyValuePair<ushort, byte[]>> Options)
{
    public const byte Solicit = 1;
    public const byte Advertise = 2;
    public const byte Request = 3;
    public const byte Reply = 7;

    public const ushort OptionClientId = 1;
    public const ushort OptionServerId = 2;
    public const ushort OptionIaNa = 3;
    public const ushort OptionIaAddress = 5;
    public const ushort OptionElapsedTime = 8;

    public byte[]? Option(ushort code) => Options.FirstOrDefault(o => o.Key == code).Value;

    /// <summary>DUID-LL (type 3, hardware type 1) for a MAC address.</summary>
    public static byte[] LinkLayerDuid(byte[] hardwareAddress) => [0, 3, 0, 1, .. hardwareAddress];

    /// <summary>IA_NA with IAID 1, T1/T2 0, and optionally one IA Address option.</summary>
    public static byte[] IdentityAssociation(IPAddress? address)
    {
        byte[] head = [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0];
        if (address is null)
        {
            return head;
        }

        byte[] lifetimes = [0, 0, 0x0e, 0x10, 0, 0, 0x1c, 0x20];
        return [.. head, 0, (byte)OptionIaAddress, 0, 24, .. address.GetAddressBytes(), .. lifetimes];
    }

    /// <summary>The address in an IA_NA's first IA Address option, if any.</summary>
    public static IPAddress? LeasedAddress(byte[]? identityAssociation) =>
        identityAssociation is { Length: >= 12 + 4 + 16 }
        && BinaryPrimitives.ReadUInt16BigEndian(identityAssociation.AsSpan(12)) == OptionIaAddress
            ? new IPAddress(identityAssociation.AsSpan(16, 16))
            : null;

    public byte[] Encode()
    {
        var packet = new byte[4 + Options.Sum(o => 4 + o.Value.Length)];
        packet[0] = Type;
        packet[1] = (byte)(TransactionId >> 16);
        packet[2] = (byte)(TransactionId >> 8);
        packet[3] = (byte)TransactionId;
        var offset = 4;
        foreach (var (code, value) in Options)
        {
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset), code);
            BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(offset + 2), checked((ushort)value.Length));
            value.CopyTo(packet, offset + 4);
            offset += 4 + value.Length;
        }

        return packet;
    }

    public static Dhcp6Message? TryDecode(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < 4)
        {
            return null;
        }

        var options = new List<KeyValuePair<ushort, byte[]>>();
        var offset = 4;
        while (offset + 4 <= packet.Length)
        {
            var code = BinaryPrimitives.ReadUInt16BigEndian(packet[offset..]);
            var length = BinaryPrimitives.ReadUInt16BigEndian(packet[(offset + 2)..]);
            if (offset + 4 + length > packet.Length)
            {
                return null;
            }

            options.Add(new(code, packet.Slice(offset + 4, length).ToArray()));
            offset += 4 + length;
        }

        return offset == packet.Length
            ? new Dhcp6Message(packet[0], (packet[1] << 16) | (packet[2] << 8) | packet[3], options)
            : null;
    }
}

/// <summary>A DHCPv6 server for one interface: joins ff02::1:2, answers SOLICIT with ADVERTISE and REQUEST with
/// REPLY, unicast to the client's link-local address (port 546) from its own link-local address (port 547).</summary>
internal sealed class Dhcp6Server : IDisposable
{
    private readonly Socket socket;
    private readonly byte[] serverId;
    private readonly IPAddress offeredAddress;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<byte> received = new();
    private readonly Task loop;

    private Dhcp6Server(Socket socket, byte[] serverId, IPAddress offeredAddress)
    {
        this.socket = socket;
        this.serverId = serverId;
        this.offeredAddress = offeredAddress;
        loop = Task.Run(LoopAsync);
    }

    /// <summary>Message types received so far (1 = SOLICIT, 3 = REQUEST), in order.</summary>
    public IReadOnlyList<byte> Received => [.. received];

    /// <summary>Sends an ADVERTISE nobody asked for to <paramref name="client"/> (link-local address with the
    /// server side's scope id, port 546): the inbound half of an exchange on its own.</summary>
    public void SendAdvertise(int transactionId, byte[] clientId, IPEndPoint client) =>
        socket.SendTo(Answer(Dhcp6Message.Advertise, transactionId, clientId).Encode(), client);

    public static Dhcp6Server Start(ThrowawayNamespace ns, string interfaceName, IPAddress offeredAddress)
    {
        var index = Dhcp.InterfaceIndex(ns, interfaceName);
        var socket = ns.RunInside(() =>
        {
            var server = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                Dhcp.BindToDevice(server, interfaceName);
                server.Bind(new IPEndPoint(IPAddress.IPv6Any, Dhcp.ServerPortV6));
                server.SetSocketOption(SocketOptionLevel.IPv6, SocketOptionName.AddMembership, new IPv6MulticastOption(Dhcp.AllServersV6, index));
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        });
        return new Dhcp6Server(socket, Dhcp6Message.LinkLayerDuid([0x02, 0, 0, 0, 0, 0xfe]), offeredAddress);
    }

    public void Dispose()
    {
        stopping.Cancel();
        socket.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Loop ended by the dispose above.
        }

        stopping.Dispose();
    }

    private Dhcp6Message Answer(byte type, int transactionId, byte[] clientId) => new(
        type,
        transactionId,
        [
            new(Dhcp6Message.OptionClientId, clientId),
            new(Dhcp6Message.OptionServerId, serverId),
            new(Dhcp6Message.OptionIaNa, Dhcp6Message.IdentityAssociation(offeredAddress)),
        ]);

    private async Task LoopAsync()
    {
        var buffer = new byte[2048];
        EndPoint any = new IPEndPoint(IPAddress.IPv6Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var datagram = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token);
                var request = Dhcp6Message.TryDecode(buffer.AsSpan(0, datagram.ReceivedBytes));
                if (request?.Option(Dhcp6Message.OptionClientId) is not { } clientId)
                {
                    continue;
                }

                received.Enqueue(request.Type);
                byte? answer = request.Type switch
                {
                    Dhcp6Message.Solicit => Dhcp6Message.Advertise,
                    Dhcp6Message.Request when request.Option(Dhcp6Message.OptionServerId) is { } id && id.AsSpan().SequenceEqual(serverId) => Dhcp6Message.Reply,
                    _ => null,
                };
                if (answer is null)
                {
                    continue;
                }

                var reply = Answer(answer.Value, request.TransactionId, clientId);
                await socket.SendToAsync(reply.Encode(), SocketFlags.None, datagram.RemoteEndPoint, stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Keep serving.
            }
        }
    }
}

/// <summary>A DHCPv6 client: SOLICIT to [ff02::1:2]:547 from [link-local]:546 on one interface, then REQUEST.</summary>
internal static class Dhcp6Client
{
    /// <summary>Listens on [::]:546 while <paramref name="server"/> (in <paramref name="serverNs"/>, on
    /// <paramref name="serverInterface"/>) sends an unrequested ADVERTISE to this interface's link-local address.</summary>
    public static DhcpResult AwaitAdvertise(
        ThrowawayNamespace ns, string interfaceName, ThrowawayNamespace serverNs, string serverInterface, Dhcp6Server server, byte[] hardwareAddress, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(server);
        var clientAddress = Dhcp.LinkLocalAddress(ns, interfaceName);
        var target = new IPEndPoint(new IPAddress(clientAddress.GetAddressBytes(), Dhcp.InterfaceIndex(serverNs, serverInterface)), Dhcp.ClientPortV6);
        var clientId = Dhcp6Message.LinkLayerDuid(hardwareAddress);
        var xid = (int)(Dhcp.NewTransactionId() & 0xffffff);
        return Dhcp.AwaitUnsolicited(
            Open(ns, interfaceName),
            () => server.SendAdvertise(xid, clientId, target),
            data => Reply(data, xid, Dhcp6Message.Advertise, clientId) is not null,
            timeout);
    }

    public static DhcpResult Exchange(ThrowawayNamespace ns, string interfaceName, byte[] hardwareAddress, TimeSpan timeout)
    {
        var index = Dhcp.InterfaceIndex(ns, interfaceName);
        var socket = Open(ns, interfaceName);
        using (socket)
        {
            var clock = Stopwatch.StartNew();
            var servers = new IPEndPoint(new IPAddress(Dhcp.AllServersV6.GetAddressBytes(), index), Dhcp.ServerPortV6);
            var clientId = Dhcp6Message.LinkLayerDuid(hardwareAddress);
            var xid = (int)(Dhcp.NewTransactionId() & 0xffffff);
            try
            {
                var solicit = new Dhcp6Message(
                    Dhcp6Message.Solicit,
                    xid,
                    [
                        new(Dhcp6Message.OptionClientId, clientId),
                        new(Dhcp6Message.OptionElapsedTime, [0, 0]),
                        new(Dhcp6Message.OptionIaNa, Dhcp6Message.IdentityAssociation(null)),
                    ]);
                socket.SendTo(solicit.Encode(), servers);
                var advertise = Dhcp.ReceiveUntil(socket, clock, timeout, data => Reply(data, xid, Dhcp6Message.Advertise, clientId));
                if (advertise?.Option(Dhcp6Message.OptionServerId) is not { } serverId)
                {
                    return new DhcpResult(DhcpOutcome.NoOffer, null, clock.Elapsed);
                }

                var requestXid = (xid + 1) & 0xffffff;
                var request = new Dhcp6Message(
                    Dhcp6Message.Request,
                    requestXid,
                    [
                        new(Dhcp6Message.OptionClientId, clientId),
                        new(Dhcp6Message.OptionServerId, serverId),
                        new(Dhcp6Message.OptionElapsedTime, [0, 0]),
                        new(Dhcp6Message.OptionIaNa, advertise.Option(Dhcp6Message.OptionIaNa) ?? Dhcp6Message.IdentityAssociation(null)),
                    ]);
                socket.SendTo(request.Encode(), servers);
                var reply = Dhcp.ReceiveUntil(socket, clock, timeout, data => Reply(data, requestXid, Dhcp6Message.Reply, clientId));
                var offered = Dhcp6Message.LeasedAddress(advertise.Option(Dhcp6Message.OptionIaNa));
                return reply is null
                    ? new DhcpResult(DhcpOutcome.NoAck, offered, clock.Elapsed)
                    : new DhcpResult(DhcpOutcome.Leased, Dhcp6Message.LeasedAddress(reply.Option(Dhcp6Message.OptionIaNa)), clock.Elapsed);
            }
            catch (SocketException ex)
            {
                return Dhcp.Classify(ex, clock.Elapsed);
            }
        }
    }

    private static Socket Open(ThrowawayNamespace ns, string interfaceName) => ns.RunInside(() =>
    {
        var client = new Socket(AddressFamily.InterNetworkV6, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            Dhcp.BindToDevice(client, interfaceName);
            client.Bind(new IPEndPoint(IPAddress.IPv6Any, Dhcp.ClientPortV6));
            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    });

    private static Dhcp6Message? Reply(byte[] data, int xid, byte type, byte[] clientId) =>
        Dhcp6Message.TryDecode(data) is { } reply && reply.Type == type && reply.TransactionId == xid
        && reply.Option(Dhcp6Message.OptionClientId) is { } echoed && echoed.AsSpan().SequenceEqual(clientId)
            ? reply
            : null;
}
