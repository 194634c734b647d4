using System.Net;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class TopologyTests(RootNamespaceGuard guard, TopologyFixture fixture)
    : IClassFixture<RootNamespaceGuard>, IClassFixture<TopologyFixture>, IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    private Topology Net => fixture.Topology;

    public void Dispose() => guard.AssertUnchanged();

    [Fact]
    public void Create_Always_ConfiguresInterfacesAddressesAndForwarding()
    {
        var hostAddresses = Net.Host.Ip("-o", "addr", "show");
        Assert.Contains($"{Net.HostLanInterface}    inet 192.0.2.1/24", hostAddresses, StringComparison.Ordinal);
        Assert.Contains($"{Net.HostLanInterface}    inet6 2001:db8::1/64", hostAddresses, StringComparison.Ordinal);
        Assert.Contains($"{Net.HostContainerInterface}    inet 10.99.0.1/24", hostAddresses, StringComparison.Ordinal);
        Assert.Contains($"{Net.HostContainerInterface}    inet6 fd00:99::1/64", hostAddresses, StringComparison.Ordinal);
        Assert.DoesNotContain("tentative", hostAddresses, StringComparison.Ordinal);

        var lanAddresses = Net.Lan.Ip("-o", "addr", "show");
        foreach (var address in new[] { Net.CollectorIPv4, Net.PeerIPv4, Net.DnsIPv4, Net.GatewayIPv4, Net.CollectorIPv6, Net.PeerIPv6, Net.DnsIPv6, Net.GatewayIPv6, Net.RemotePeerIPv4, Net.InternetIPv4, Net.RemotePeerIPv6, Net.InternetIPv6 })
        {
            Assert.Contains($" {address}/", lanAddresses, StringComparison.Ordinal);
        }

        Assert.Equal("1", Net.Host.Exec("sysctl", "-n", "net.ipv4.ip_forward").EnsureSuccess().StandardOutput.Trim());
        Assert.Equal("1", Net.Host.Exec("sysctl", "-n", "net.ipv6.conf.all.forwarding").EnsureSuccess().StandardOutput.Trim());
        Assert.True(Net.CreationTime > TimeSpan.Zero);
        TestContext.Current.TestOutputHelper?.WriteLine($"Topology.Create took {Net.CreationTime.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Create_Always_LeavesNoFirewallInAnyNamespace()
    {
        Requirements.RequireNfTables();

        Assert.Equal(string.Empty, Net.Host.ListRuleset());
        Assert.Equal(string.Empty, Net.Lan.ListRuleset());
        Assert.Equal(string.Empty, Net.Container.ListRuleset());
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void TcpConnect_HostToCollector_Connects(int family)
    {
        var collector = family == 4 ? Net.CollectorIPv4 : Net.CollectorIPv6;
        using var listener = NamespaceSockets.StartTcpListener(Net.Lan, collector);

        var result = NamespaceSockets.TcpConnect(Net.Host, collector, listener.Port, Timeout);

        Assert.Equal(TcpConnectOutcome.Connected, result.Outcome);
        Assert.Equal(family == 4 ? Net.HostIPv4 : Net.HostIPv6, result.LocalEndPoint!.Address);
        Assert.True(listener.WaitForAccepted(1, Timeout));
        Assert.Equal(family == 4 ? Net.HostIPv4 : Net.HostIPv6, listener.AcceptedFrom[0].Address);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void TcpConnect_ContainerToLan_IsForwardedThroughHostWithoutNat(int family)
    {
        var peer = family == 4 ? Net.PeerIPv4 : Net.PeerIPv6;
        using var listener = NamespaceSockets.StartTcpListener(Net.Lan, peer);

        var result = NamespaceSockets.TcpConnect(Net.Container, peer, listener.Port, Timeout);

        Assert.Equal(TcpConnectOutcome.Connected, result.Outcome);
        Assert.True(listener.WaitForAccepted(1, Timeout));
        Assert.Equal(family == 4 ? Net.ContainerIPv4 : Net.ContainerIPv6, listener.AcceptedFrom[0].Address);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void TcpConnect_HostToOffLinkAddress_GoesViaGateway(int family)
    {
        var internet = family == 4 ? Net.InternetIPv4 : Net.InternetIPv6;
        using var listener = NamespaceSockets.StartTcpListener(Net.Lan, internet);

        var result = NamespaceSockets.TcpConnect(Net.Host, internet, listener.Port, Timeout);

        Assert.Equal(TcpConnectOutcome.Connected, result.Outcome);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void TcpConnect_NoListener_IsRefusedQuickly(int family)
    {
        var peer = family == 4 ? Net.PeerIPv4 : Net.PeerIPv6;

        var result = NamespaceSockets.TcpConnect(Net.Host, peer, 9, Timeout);

        Assert.Equal(TcpConnectOutcome.Refused, result.Outcome);
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(1), $"took {result.Elapsed}");
    }

    [Fact]
    public void TcpConnect_UnassignedLanAddress_TimesOutAfterTheTimeout()
    {
        // Nobody answers ARP for .99: the attempt times out (the shape a dropped SYN has).
        var result = NamespaceSockets.TcpConnect(Net.Host, IPAddress.Parse("192.0.2.99"), 80, TimeSpan.FromMilliseconds(700));

        Assert.True(
            result.Outcome is TcpConnectOutcome.TimedOut or TcpConnectOutcome.Unreachable,
            $"outcome {result.Outcome} ({result.SocketError})");
        Assert.True(result.Elapsed < TimeSpan.FromSeconds(5), $"took {result.Elapsed}");
    }

    [Fact]
    public void TcpOpen_HostToCollectorListener_EchoesBothWays()
    {
        using var listener = NamespaceSockets.StartTcpListener(Net.Lan, Net.CollectorIPv4);
        using var connection = NamespaceSockets.TcpOpen(Net.Host, Net.CollectorIPv4, listener.Port, Timeout);
        var payload = "hello collector"u8.ToArray();

        var first = connection.Exchange(payload, Timeout);
        var second = connection.Exchange(payload, Timeout);

        Assert.Equal(ExchangeOutcome.Replied, first.Outcome);
        Assert.Equal(payload, first.Reply);
        Assert.Equal(ExchangeOutcome.Replied, second.Outcome);
        Assert.Equal(new IPEndPoint(Net.CollectorIPv4, listener.Port), connection.RemoteEndPoint);
    }

    [Fact]
    public void TcpConnection_ListenerDisposed_ReportsClosedOrRefused()
    {
        var listener = NamespaceSockets.StartTcpListener(Net.Lan, Net.CollectorIPv6);
        using var connection = NamespaceSockets.TcpOpen(Net.Host, Net.CollectorIPv6, listener.Port, Timeout);
        Assert.True(listener.WaitForAccepted(1, Timeout));

        listener.Dispose();
        var result = connection.Exchange([1, 2, 3], Timeout);

        Assert.True(result.Outcome is ExchangeOutcome.Closed or ExchangeOutcome.Refused, $"outcome {result.Outcome}");
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void UdpSendReceive_HostToDnsResolver_GetsTheEcho(int family)
    {
        var dns = family == 4 ? Net.DnsIPv4 : Net.DnsIPv6;
        using var server = NamespaceSockets.StartDnsLikeServer(Net.Lan, dns);
        var query = "query example.test"u8.ToArray();

        var udp = NamespaceSockets.UdpSendReceive(Net.Host, dns, 53, query, Timeout);
        var tcp = NamespaceSockets.TcpConnect(Net.Host, dns, 53, Timeout);

        Assert.Equal(ExchangeOutcome.Replied, udp.Outcome);
        Assert.Equal(query, udp.Reply);
        Assert.Equal(family == 4 ? Net.HostIPv4 : Net.HostIPv6, Assert.Single(server.Udp.ReceivedFrom).Address);
        Assert.Equal(TcpConnectOutcome.Connected, tcp.Outcome);
    }

    [Fact]
    public void UdpSendReceive_FixedSourcePort_IsSentFromThatPort()
    {
        using var echo = NamespaceSockets.StartUdpEcho(Net.Lan, Net.GatewayIPv4, 67);

        var result = NamespaceSockets.UdpSendReceive(Net.Host, Net.GatewayIPv4, 67, [1], Timeout, sourcePort: 68);

        Assert.Equal(ExchangeOutcome.Replied, result.Outcome);
        Assert.Equal(68, Assert.Single(echo.ReceivedFrom).Port);
    }

    [Fact]
    public void UdpSendReceive_NoService_IsRefusedByPortUnreachable()
    {
        var result = NamespaceSockets.UdpSendReceive(Net.Host, Net.PeerIPv4, 9, [1], Timeout);

        Assert.Equal(ExchangeOutcome.Refused, result.Outcome);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    public void UdpSendReceive_ContainerToLan_IsForwardedThroughHost(int family)
    {
        var peer = family == 4 ? Net.PeerIPv4 : Net.PeerIPv6;
        using var echo = NamespaceSockets.StartUdpEcho(Net.Lan, peer);

        var result = NamespaceSockets.UdpSendReceive(Net.Container, peer, echo.Port, [42], Timeout);

        Assert.Equal(ExchangeOutcome.Replied, result.Outcome);
        Assert.Equal(family == 4 ? Net.ContainerIPv4 : Net.ContainerIPv6, Assert.Single(echo.ReceivedFrom).Address);
    }

    [Fact]
    public void FlushNeighbours_AfterTraffic_EmptiesTheCaches()
    {
        using var listener = NamespaceSockets.StartTcpListener(Net.Lan, Net.CollectorIPv4);
        Assert.Equal(TcpConnectOutcome.Connected, NamespaceSockets.TcpConnect(Net.Host, Net.CollectorIPv4, listener.Port, Timeout).Outcome);
        Assert.Contains("192.0.2.10", Net.Host.Ip("neigh", "show"), StringComparison.Ordinal);

        Net.FlushNeighbours();

        Assert.DoesNotContain("192.0.2.10 ", NonFailedNeighbours(Net.Host), StringComparison.Ordinal);
        Assert.Equal(TcpConnectOutcome.Connected, NamespaceSockets.TcpConnect(Net.Host, Net.CollectorIPv4, listener.Port, Timeout).Outcome);
    }

    [Fact]
    public void Dispose_OwnTopology_RemovesAllThreeNamespaces()
    {
        var own = Topology.Create();
        var names = new[] { own.Host.Name, own.Lan.Name, own.Container.Name };
        Assert.All(names, name => Assert.Contains(name, ThrowawayNamespace.ListRegistered()));
        TestContext.Current.TestOutputHelper?.WriteLine($"Topology.Create took {own.CreationTime.TotalMilliseconds:0} ms");

        own.Dispose();

        Assert.All(names, name => Assert.DoesNotContain(name, ThrowawayNamespace.ListRegistered()));
    }

    private static string NonFailedNeighbours(ThrowawayNamespace ns) =>
        string.Join('\n', ns.Ip("neigh", "show").Split('\n').Where(line => !line.Contains("FAILED", StringComparison.Ordinal)));
}
