using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.NfTables.Nflog;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables.Nflog;

public sealed class NetworkHeaderParserTests
{
    [Fact]
    public void Parse_IPv4UdpWithOptions_ReadsPortsAfterTheIhlLength()
    {
        // IHL 6: one 4-byte option before the UDP header.
        byte[] packet = Convert.FromHexString(
            "46000024000000004011000008080808c6336409" + "01010101" + "d43100350010abcd");

        PacketHeaders headers = NetworkHeaderParser.Parse(packet)!;

        Assert.Equal(AddressFamily.InterNetwork, headers.Family);
        Assert.Equal(IPAddress.Parse("8.8.8.8"), headers.Source);
        Assert.Equal(IPAddress.Parse("198.51.100.9"), headers.Destination);
        Assert.Equal(17, headers.Protocol);
        Assert.Equal((ushort)54321, headers.SourcePort);
        Assert.Equal((ushort)53, headers.DestinationPort);
    }

    [Fact]
    public void Parse_IPv4LaterFragment_HasNoPorts()
    {
        byte[] packet = Convert.FromHexString("450000240000000a40060000" + "0a4d0001cb007107" + "d43101bb00000000");

        PacketHeaders headers = NetworkHeaderParser.Parse(packet)!;

        Assert.Equal(6, headers.Protocol);
        Assert.Null(headers.SourcePort);
        Assert.Null(headers.DestinationPort);
    }

    [Fact]
    public void Parse_IPv6MldReportAfterHopByHop_FindsIcmpV6Type()
    {
        // RFC 3810 report: hop-by-hop (router alert) then ICMPv6 type 143.
        byte[] packet = Convert.FromHexString(
            "6000000000240001" + "fe800000000000000000000000000001" + "ff020000000000000000000000000016"
            + "3a00050200000100" + "8f00000000000001");

        PacketHeaders headers = NetworkHeaderParser.Parse(packet)!;

        Assert.Equal(AddressFamily.InterNetworkV6, headers.Family);
        Assert.Equal(58, headers.Protocol);
        Assert.Equal((byte)143, headers.IcmpType);
        Assert.Equal(IPAddress.Parse("ff02::16"), headers.Destination);
    }

    [Fact]
    public void Parse_IPv6TcpAfterRoutingAndDestinationOptions_ReadsPorts()
    {
        byte[] packet = Convert.FromHexString(
            "60000000002c2b40" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002"
            + "3c00000000000000" // routing, next: destination options, 8 bytes
            + "0601000000000000" + "0000000000000000" // destination options, next: TCP, 16 bytes
            + "c35001bb00000000");

        PacketHeaders headers = NetworkHeaderParser.Parse(packet)!;

        Assert.Equal(6, headers.Protocol);
        Assert.Equal((ushort)50000, headers.SourcePort);
        Assert.Equal((ushort)443, headers.DestinationPort);
    }

    [Fact]
    public void Parse_IPv6LaterFragment_HasNoPorts()
    {
        byte[] packet = Convert.FromHexString(
            "6000000000102c40" + "20010db8000000000000000000000001" + "20010db8000000000000000000000002"
            + "1100000800000001" + "c3500035000812ab");

        PacketHeaders headers = NetworkHeaderParser.Parse(packet)!;

        Assert.Equal(17, headers.Protocol);
        Assert.Null(headers.DestinationPort);
    }

    [Theory]
    [InlineData("")]
    [InlineData("45000014")]
    [InlineData("5000000000000000000000000000000000000000")]
    public void Parse_TooShortOrNotIp_ReturnsNull(string hex)
        => Assert.Null(NetworkHeaderParser.Parse(Convert.FromHexString(hex)));
}
