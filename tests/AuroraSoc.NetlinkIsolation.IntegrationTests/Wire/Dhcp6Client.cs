using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

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
