using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>The connection attempts on loopback in this process's namespace (verification from inside a namespace is an integration test).</summary>
public class CollectorVerificationTests
{
    [Fact]
    public void Run_OneListeningOneClosed_FirstConnectsSecondRefused()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        int closedPort = UnusedPort(IPAddress.Loopback);
        Endpoint open = new(IPAddress.Loopback, port: ((IPEndPoint)listener.LocalEndPoint!).Port);
        Endpoint closed = new(IPAddress.Loopback, port: closedPort);

        IReadOnlyList<CollectorCheck> checks = CollectorVerification.Run([open, closed], TimeSpan.FromSeconds(5), NewSocket);

        Assert.Equal([open, closed], checks.Select(c => c.Endpoint));
        Assert.True(checks[0].Ok);
        Assert.Null(checks[0].Error);
        Assert.False(checks[1].Ok);
        Assert.Equal("connection refused", checks[1].Error);
        Assert.Equal($"127.0.0.1:{closedPort} connection refused", CollectorVerification.DescribeFailures(checks));
    }

    [Fact]
    public void Run_Ipv6Closed_Refused()
    {
        int port = UnusedPort(IPAddress.IPv6Loopback);

        CollectorCheck check = Assert.Single(CollectorVerification.Run([new Endpoint(IPAddress.IPv6Loopback, port: port)], TimeSpan.FromSeconds(5), NewSocket));

        Assert.False(check.Ok);
        Assert.Equal($"[::1]:{port} connection refused", check.ToString());
    }

    [Fact]
    public void Targets_Policy_OnlySingleAddressesWithPorts()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10"), Endpoint.Parse("192.0.2.11:6514"), Endpoint.Parse("192.0.2.0/24:514"), Endpoint.Parse("[2001:db8::10]:443")], [Endpoint.Parse("198.51.100.1:22")]);

        Assert.Equal(["192.0.2.11:6514", "[2001:db8::10]:443"], CollectorVerification.Targets(policy).Select(e => e.ToString()));
    }

    [Fact]
    public void Validate_NoCollectorWithPort_ThrowsVerifyCollector()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10"), Endpoint.Parse("192.0.2.0/24:514")], [Endpoint.Parse("198.51.100.1:22")]);

        var exception = Assert.Throws<PolicyValidationException>(() => CollectorVerification.Validate(policy, CollectorVerification.DefaultTimeout));

        Assert.Equal("verify-collector", exception.Field);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(3601)]
    public void Validate_TimeoutOutOfRange_ThrowsVerifyTimeout(int seconds)
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]);

        var exception = Assert.Throws<PolicyValidationException>(() => CollectorVerification.Validate(policy, TimeSpan.FromSeconds(seconds)));

        Assert.Equal("verify-timeout", exception.Field);
    }

    [Fact]
    public void Run_SocketCannotBeCreated_ThatAttemptFailsWithTheReasonOthersStillRun()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        Endpoint open = new(IPAddress.Loopback, port: ((IPEndPoint)listener.LocalEndPoint!).Port);
        Endpoint unreachable = Endpoint.Parse("[2001:db8::10]:443");

        IReadOnlyList<CollectorCheck> checks = CollectorVerification.Run(
            [unreachable, open],
            TimeSpan.FromSeconds(5),
            family => family == AddressFamily.InterNetworkV6 ? throw new IOException("cannot enter namespace /run/netns/gone to connect: ENOENT") : NewSocket(family));

        Assert.Equal((false, "cannot enter namespace /run/netns/gone to connect: ENOENT"), (checks[0].Ok, checks[0].Error));
        Assert.True(checks[1].Ok);
    }

    private static SocketHandle NewSocket(AddressFamily family)
        => TcpConnector.TryCreateSocket(family, out SocketHandle? socket) == 0 ? socket! : throw new IOException("socket(2) failed");

    private static int UnusedPort(IPAddress address)
    {
        using var probe = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        probe.Bind(new IPEndPoint(address, 0));
        return ((IPEndPoint)probe.LocalEndPoint!).Port;
    }
}
