using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// Reads the network header of a packet copy (IPv4, RFC 791; IPv6, RFC 8200) and finds where the transport header starts:
/// the IPv4 header's length is its IHL, and IPv6 extension headers are walked — the kernel's own MLD reports start with
/// a hop-by-hop header (RFC 3810, 5) and are blocked like any other packet, so they appear in the log.
/// </summary>
internal static class NetworkHeaderParser
{
    private const byte HopByHop = 0;
    private const byte Routing = 43;
    private const byte Fragment = 44;
    private const byte AuthenticationHeader = 51;
    private const byte DestinationOptions = 60;

    /// <summary>The packet's headers, or null when the copy is too short or not IPv4/IPv6.</summary>
    public static PacketHeaders? Parse(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return null;
        }

        return (packet[0] >> 4) switch
        {
            4 => ParseIPv4(packet),
            6 => ParseIPv6(packet),
            _ => null,
        };
    }

    private static PacketHeaders? ParseIPv4(ReadOnlySpan<byte> packet)
    {
        int headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < 20 || packet.Length < 20)
        {
            return null;
        }

        byte protocol = packet[9];
        var source = new IPAddress(packet.Slice(12, 4));
        var destination = new IPAddress(packet.Slice(16, 4));

        // Only the first fragment carries the transport header (RFC 791: fragment offset in the low 13 bits).
        bool laterFragment = (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(6, 2)) & 0x1fff) != 0;
        ReadOnlySpan<byte> transport = laterFragment || packet.Length < headerLength ? default : packet[headerLength..];
        return TransportHeaderParser.Complete(AddressFamily.InterNetwork, source, destination, protocol, transport);
    }

    private static PacketHeaders? ParseIPv6(ReadOnlySpan<byte> packet)
    {
        const int FixedHeaderLength = 40;
        if (packet.Length < FixedHeaderLength)
        {
            return null;
        }

        var source = new IPAddress(packet.Slice(8, 16));
        var destination = new IPAddress(packet.Slice(24, 16));
        byte next = packet[6];
        int offset = FixedHeaderLength;
        bool laterFragment = false;
        while (next is HopByHop or Routing or Fragment or DestinationOptions or AuthenticationHeader)
        {
            if (packet.Length < offset + 8)
            {
                // The copy ends inside the extension headers: the protocol is still the last one named.
                return new PacketHeaders(AddressFamily.InterNetworkV6, source, destination, next, null, null, null);
            }

            byte following = packet[offset];
            int length = next switch
            {
                Fragment => 8, // RFC 8200, 4.5: fixed size
                AuthenticationHeader => (packet[offset + 1] + 2) * 4, // RFC 4302, 2.2: in 4-octet units, minus 2
                _ => (packet[offset + 1] + 1) * 8, // RFC 8200, 4.3-4.6: in 8-octet units, not counting the first 8
            };
            if (next == Fragment)
            {
                laterFragment = (BinaryPrimitives.ReadUInt16BigEndian(packet.Slice(offset + 2, 2)) & 0xfff8) != 0;
            }

            next = following;
            offset += length;
        }

        ReadOnlySpan<byte> transport = laterFragment || packet.Length < offset ? default : packet[offset..];
        return TransportHeaderParser.Complete(AddressFamily.InterNetworkV6, source, destination, next, transport);
    }
}
