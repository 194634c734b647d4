using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

public class EndpointTests
{
    [Theory]
    [InlineData("192.0.2.10", "192.0.2.10", 32, null)]
    [InlineData("192.0.2.0/24", "192.0.2.0", 24, null)]
    [InlineData("192.0.2.10:443", "192.0.2.10", 32, 443)]
    [InlineData("192.0.2.10/32", "192.0.2.10", 32, null)]
    [InlineData("2001:db8::10", "2001:db8::10", 128, null)]
    [InlineData("2001:db8::/64", "2001:db8::", 64, null)]
    [InlineData("[2001:db8::10]:443", "2001:db8::10", 128, 443)]
    [InlineData("[2001:db8::/64]:443", "2001:db8::", 64, 443)]
    public void TryParse_CliSyntax_Parsed(string text, string address, int prefix, int? port)
    {
        Assert.True(Endpoint.TryParse(text, out Endpoint? endpoint, out string? error), error);

        Assert.Equal(address, endpoint!.Address.ToString());
        Assert.Equal(prefix, endpoint.PrefixLength);
        Assert.Equal(port, endpoint.Port);
    }

    [Theory]
    [InlineData("")]
    [InlineData("example.org")]
    [InlineData("10.1")]
    [InlineData("192.0.2.10:")]
    [InlineData("192.0.2.10:https")]
    [InlineData("192.0.2.0/abc")]
    [InlineData("192.0.2.0/40")]
    [InlineData("[2001:db8::10")]
    [InlineData("[2001:db8::10]443")]
    [InlineData("2001:db8::10:443:")]
    [InlineData("fe80::1%eth0")]
    [InlineData("2001:db8::/129")]
    public void TryParse_Malformed_FalseWithReason(string text)
    {
        Assert.False(Endpoint.TryParse(text, out Endpoint? endpoint, out string? error));
        Assert.Null(endpoint);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Theory]
    [InlineData("192.0.2.10")]
    [InlineData("192.0.2.0/24")]
    [InlineData("192.0.2.10:443")]
    [InlineData("[2001:db8::10]:443")]
    [InlineData("[2001:db8::/64]:443")]
    public void ToString_Parsed_RoundTrips(string text) => Assert.Equal(text, Endpoint.Parse(text).ToString());
}
