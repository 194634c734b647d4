using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// Reads the start of a transport header: the ports of TCP (RFC 9293) and UDP (RFC 768), both in the first 4 bytes, and
/// the type of ICMP (RFC 792) and ICMPv6 (RFC 4443), the first byte. Other protocols have neither.
/// </summary>
internal static class TransportHeaderParser
{
    private const byte Icmp = 1;
    private const byte Tcp = 6;
    private const byte Udp = 17;
    private const byte IcmpV6 = 58;

    /// <summary>The headers with the transport part read from <paramref name="transport"/> (empty: not in the copy).</summary>
    public static PacketHeaders Complete(AddressFamily family, IPAddress source, IPAddress destination, byte protocol, ReadOnlySpan<byte> transport)
    {
        ushort? sourcePort = null;
        ushort? destinationPort = null;
        byte? icmpType = null;
        if (protocol is Tcp or Udp && transport.Length >= 4)
        {
            sourcePort = BinaryPrimitives.ReadUInt16BigEndian(transport);
            destinationPort = BinaryPrimitives.ReadUInt16BigEndian(transport[2..]);
        }
        else if (protocol is Icmp or IcmpV6 && transport.Length >= 1)
        {
            icmpType = transport[0];
        }

        return new PacketHeaders(family, source, destination, protocol, sourcePort, destinationPort, icmpType);
    }
}
