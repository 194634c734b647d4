using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

public class AllowedConnectionsTests
{
    private static readonly IPEndPoint Local4 = IPEndPoint.Parse("10.0.0.2:40000");
    private static readonly IPEndPoint Local6 = IPEndPoint.Parse("[fd00::2]:40000");

    private static readonly AllowedConnections Strict = new(new IsolationPolicy(
        [Endpoint.Parse("192.0.2.10:6514"), Endpoint.Parse("[2001:db8::10]:443")],
        [Endpoint.Parse("198.51.100.0/24"), Endpoint.Parse("10.32.16.0/20"), Endpoint.Parse("2001:db8:1::/64")],
        DnsPolicy.ListedResolvers,
        [IPAddress.Parse("192.0.2.53")],
        mode: IsolationMode.Strict));

    [Theory]
    [InlineData("10.0.0.2:40000", "192.0.2.10:6514")] // collector, its port
    [InlineData("[fd00::2]:40000", "[2001:db8::10]:443")] // IPv6 collector, its port
    [InlineData("10.0.0.2:40000", "198.51.100.77:22")] // peer prefix, any port
    [InlineData("10.0.0.2:40000", "10.32.31.255:80")] // last address of a /20
    [InlineData("[fd00::2]:40000", "[2001:db8:1::abcd]:8080")] // IPv6 peer prefix
    [InlineData("[::ffff:10.0.0.2]:40000", "[::ffff:198.51.100.1]:22")] // dual-stack socket, IPv4-mapped
    [InlineData("10.0.0.2:40000", "127.0.0.1:8080")] // loopback
    [InlineData("[fd00::2]:40000", "[::1]:8080")]
    [InlineData("10.0.0.2:40000", "10.0.0.2:22")] // to the namespace's own address, routed over lo
    [InlineData("10.0.0.2:40000", "192.0.2.53:53")] // listed resolver over TCP
    public void Allows_PolicyOrLoopback_True(string local, string remote)
    {
        Assert.True(Strict.Allows(IPEndPoint.Parse(local), IPEndPoint.Parse(remote)));
    }

    [Theory]
    [InlineData("10.0.0.2:40000", "192.0.2.10:22")] // collector address, other port
    [InlineData("[fd00::2]:40000", "[2001:db8::10]:22")]
    [InlineData("10.0.0.2:40000", "203.0.113.5:4444")] // a reverse shell
    [InlineData("10.0.0.2:40000", "10.32.32.0:80")] // just past the /20
    [InlineData("[fd00::2]:40000", "[2001:db8:2::1]:80")]
    [InlineData("10.0.0.2:40000", "192.0.2.54:53")] // resolver not listed
    [InlineData("[::ffff:10.0.0.2]:40000", "[::ffff:203.0.113.5]:22")]
    public void Allows_AnythingElse_False(string local, string remote)
    {
        Assert.False(Strict.Allows(IPEndPoint.Parse(local), IPEndPoint.Parse(remote)));
    }

    [Fact]
    public void Allows_AnyResolverPolicy_EveryPort53()
    {
        var any = new AllowedConnections(new IsolationPolicy([Endpoint.Parse("192.0.2.10")], dns: DnsPolicy.AnyResolver, mode: IsolationMode.Strict));

        Assert.True(any.Allows(Local4, IPEndPoint.Parse("203.0.113.9:53")));
        Assert.False(any.Allows(Local6, IPEndPoint.Parse("[2001:db8::99]:54")));
    }

    [Fact]
    public void Allows_DnsOff_Port53Cut()
    {
        var off = new AllowedConnections(new IsolationPolicy([Endpoint.Parse("192.0.2.10")], mode: IsolationMode.Strict));

        Assert.False(off.Allows(Local4, IPEndPoint.Parse("203.0.113.9:53")));
        Assert.True(off.Allows(Local4, IPEndPoint.Parse("192.0.2.10:1234")));
    }
}
