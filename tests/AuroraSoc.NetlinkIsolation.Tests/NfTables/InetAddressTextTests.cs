using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>IPv6 as nft prints it, which is glibc's inet_ntop (expected strings produced by glibc's inet_ntop itself).</summary>
public class InetAddressTextTests
{
    [Theory]
    [InlineData("00000000000000000000000000000000", "::")]
    [InlineData("00000000000000000000000000000001", "::1")]
    [InlineData("00000000000000000000ffff01020304", "::ffff:1.2.3.4")]
    [InlineData("00000000000000000000000001020304", "::1.2.3.4")]
    [InlineData("00000000000000000000ffff00000001", "::ffff:0.0.0.1")]
    [InlineData("00010000000000000000000000000000", "1::")]
    [InlineData("00010000000000010000000000000000", "1:0:0:1::")]
    [InlineData("00010000000000010000000000000001", "1:0:0:1::1")]
    [InlineData("00010000000100000001000000010000", "1:0:1:0:1:0:1:0")]
    [InlineData("20010db8000000000001000000000001", "2001:db8::1:0:0:1")]
    [InlineData("00000000000100000000000000000000", "0:0:1::")]
    [InlineData("0000000000000000000000000000ffff", "::ffff")]
    [InlineData("00000000000000000001000000000000", "::1:0:0:0")]
    [InlineData("fe800000000000000000000000000000", "fe80::")]
    [InlineData("00000000000000000000000100000000", "::1:0:0")]
    [InlineData("00000000000000000000000000010000", "::0.1.0.0")]
    public void Format_IPv6_AsGlibcInetNtop(string hex, string expected)
    {
        Assert.Equal(expected, InetAddressText.Format(Convert.FromHexString(hex)));
    }
}
