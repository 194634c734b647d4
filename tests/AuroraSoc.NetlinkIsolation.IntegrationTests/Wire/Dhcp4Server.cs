using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>A DHCPv4 server for one interface: answers DISCOVER with OFFER and REQUEST with ACK, broadcast to
/// 255.255.255.255:68 from <c>serverAddress:67</c>.</summary>
internal sealed class Dhcp4Server : UdpServerLoop
{
    private readonly Socket sender;
    private readonly IPAddress serverAddress;
    private readonly IPAddress offeredAddress;
    private readonly ConcurrentQueue<byte> received = new();

    private Dhcp4Server(Socket receiver, Socket sender, IPAddress serverAddress, IPAddress offeredAddress)
        : base(receiver)
    {
        this.sender = sender;
        this.serverAddress = serverAddress;
        this.offeredAddress = offeredAddress;
        StartReceiving();
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

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        if (disposing)
        {
            sender.Dispose();
        }
    }

    protected override async ValueTask HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint from)
    {
        var request = Dhcp4Message.TryDecode(datagram.Span);
        if (request is not { Op: Dhcp4Message.BootRequest, MessageType: { } type })
        {
            return;
        }

        received.Enqueue(type);
        byte? answer = type switch
        {
            Dhcp4Message.Discover => Dhcp4Message.Offer,
            Dhcp4Message.Request when request.Option(Dhcp4Message.OptionServerId) is { } id
                && new IPAddress(id).Equals(serverAddress) => Dhcp4Message.Ack,
            _ => null,
        };
        if (answer is not null)
        {
            var reply = Answer(answer.Value, request.TransactionId, request.Flags, request.ClientHardwareAddress);
            await sender.SendToAsync(reply.Encode(), SocketFlags.None, new IPEndPoint(IPAddress.Broadcast, Dhcp.ClientPortV4), Stopping);
        }
    }
}
