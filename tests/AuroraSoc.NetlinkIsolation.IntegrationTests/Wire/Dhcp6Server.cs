using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>A DHCPv6 server for one interface: joins ff02::1:2, answers SOLICIT with ADVERTISE and REQUEST with
/// REPLY, unicast to the client's link-local address (port 546) from its own link-local address (port 547).</summary>
internal sealed class Dhcp6Server : UdpServerLoop
{
    private readonly byte[] serverId;
    private readonly IPAddress offeredAddress;
    private readonly ConcurrentQueue<byte> received = new();

    private Dhcp6Server(Socket socket, byte[] serverId, IPAddress offeredAddress)
        : base(socket)
    {
        this.serverId = serverId;
        this.offeredAddress = offeredAddress;
        StartReceiving();
    }

    /// <summary>Message types received so far (1 = SOLICIT, 3 = REQUEST), in order.</summary>
    public IReadOnlyList<byte> Received => [.. received];

    /// <summary>Sends an ADVERTISE nobody asked for to <paramref name="client"/> (link-local address with the
    /// server side's scope id, port 546): the inbound half of an exchange on its own.</summary>
    public void SendAdvertise(int transactionId, byte[] clientId, IPEndPoint client) =>
        Socket.SendTo(Answer(Dhcp6Message.Advertise, transactionId, clientId).Encode(), client);

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

    private Dhcp6Message Answer(byte type, int transactionId, byte[] clientId) => new(
        type,
        transactionId,
        [
            new(Dhcp6Message.OptionClientId, clientId),
            new(Dhcp6Message.OptionServerId, serverId),
            new(Dhcp6Message.OptionIaNa, Dhcp6Message.IdentityAssociation(offeredAddress)),
        ]);

    protected override async ValueTask HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint from)
    {
        var request = Dhcp6Message.TryDecode(datagram.Span);
        if (request?.Option(Dhcp6Message.OptionClientId) is not { } clientId)
        {
            return;
        }

        received.Enqueue(request.Type);
        byte? answer = request.Type switch
        {
            Dhcp6Message.Solicit => Dhcp6Message.Advertise,
            Dhcp6Message.Request when request.Option(Dhcp6Message.OptionServerId) is { } id && id.AsSpan().SequenceEqual(serverId) => Dhcp6Message.Reply,
            _ => null,
        };
        if (answer is not null)
        {
            var reply = Answer(answer.Value, request.TransactionId, clientId);
            await Socket.SendToAsync(reply.Encode(), SocketFlags.None, from, Stopping);
        }
    }
}
