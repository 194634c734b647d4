using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.NfTables.Nflog;

namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>
/// The process behind a blocked packet of a local socket: the socket found by sock_diag from the packet's addresses and
/// ports (its inode), then the process holding that inode (<see cref="ProcessSocketTable"/>). Right for UDP and for TCP
/// sockets still open; a connect the reject's reset refused is usually closed before the dump, and then null.
/// </summary>
internal sealed class SocketOwnerLookup(SockDiagConnection sockets) : IDisposable
{
    private const byte Tcp = 6;
    private const byte Udp = 17;

    private readonly ProcessSocketTable _processes = new();

    /// <summary>The owner of the local socket that sent (<paramref name="outgoing"/>) or would receive the packet, or null.</summary>
    public SocketOwner? Find(PacketHeaders headers, bool outgoing)
    {
        ArgumentNullException.ThrowIfNull(headers);
        if (headers.Protocol is not (Tcp or Udp) || headers.SourcePort is not { } sourcePort || headers.DestinationPort is not { } destinationPort)
        {
            return null;
        }

        (IPAddress localAddress, ushort localPort, IPAddress remoteAddress, ushort remotePort) = outgoing
            ? (headers.Source, sourcePort, headers.Destination, destinationPort)
            : (headers.Destination, destinationPort, headers.Source, sourcePort);
        byte family = headers.Family == AddressFamily.InterNetworkV6 ? SockDiagConstants.AF_INET6 : SockDiagConstants.AF_INET;
        List<InetDiagSocket> candidates;
        try
        {
            candidates = sockets.DumpAllStates(family, headers.Protocol);
        }
        catch (Netlink.NetlinkException)
        {
            return null; // no inet_diag for this protocol: unknown, as the spec allows
        }

        foreach (InetDiagSocket socket in candidates)
        {
            if (socket.Local.Port == localPort && Matches(socket.Local.Address, localAddress)
                && (socket.Remote.Port == 0 || socket.Remote.Port == remotePort) && Matches(socket.Remote.Address, remoteAddress)
                && socket.Inode != 0)
            {
                return _processes.Find(socket.Inode);
            }
        }

        return null;
    }

    // A socket bound to the wildcard address (or not connected) matches any address.
    private static bool Matches(IPAddress socketAddress, IPAddress packetAddress)
        => socketAddress.Equals(IPAddress.Any) || socketAddress.Equals(IPAddress.IPv6Any) || socketAddress.Equals(packetAddress);

    public void Dispose() => sockets.Dispose();
}
