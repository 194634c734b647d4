using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

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
