using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.OperatorOptions;

/// <summary>
/// --verify-collector against a live kernel: connections from inside the isolated namespace to collectors on a
/// veth-connected LAN, and the one-transaction rollback to exactly what nft listed before.
/// </summary>
public sealed class CollectorVerificationLiveTests
{
    private const int CollectorPort = 6514;
    private const int ClosedPort = 7777;

    [Fact]
    public void Isolate_OneCollectorListening_VerifiedAndKept()
    {
        using Topology site = Topology.Create();
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, CollectorPort);
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        IsolationPolicy policy = Policy($"{site.CollectorIPv4}:{CollectorPort}", $"{site.PeerIPv4}:{ClosedPort}");

        IsolationResult result = isolator.Isolate(policy, Verify());

        Assert.Equal([true, false], result.Verified.Select(c => c.Ok));
        Assert.Equal("connection refused", result.Verified[1].Error);
        Assert.True(collector.WaitForAccepted(1, TimeSpan.FromSeconds(5)));
        Assert.Equal(IsolationState.Isolated, isolator.GetStatus().State);
    }

    [Fact]
    public void Isolate_Ipv6CollectorListening_Verified()
    {
        using Topology site = Topology.Create();
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv6, CollectorPort);
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        IsolationResult result = isolator.Isolate(Policy($"[{site.CollectorIPv6}]:{CollectorPort}"), Verify());

        Assert.True(Assert.Single(result.Verified).Ok);
    }

    [Fact]
    public void Isolate_NoneReachableFromAnotherPolicy_PreviousTableRestoredExactly()
    {
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        isolator.Isolate(new IsolationPolicy([Endpoint.Parse($"{site.CollectorIPv4}:{CollectorPort}"), Endpoint.Parse("2001:db8::10")], [Endpoint.Parse("198.51.100.0/24")], DnsPolicy.AnyResolver, allowDhcp: true, reason: "before"));
        string before = site.Host.ListTable("inet", "aurorasoc");

        var failure = Assert.Throws<IsolationException>(() => isolator.Isolate(Policy($"{site.PeerIPv4}:{ClosedPort}", $"{site.CollectorIPv4}:{ClosedPort}"), Verify()));

        Assert.Equal(IsolationErrorKind.CollectorUnreachable, failure.Kind);
        Assert.True(failure.RolledBack);
        Assert.Equal($"rolled back: no collector reachable: {site.PeerIPv4}:{ClosedPort} connection refused; {site.CollectorIPv4}:{ClosedPort} connection refused", failure.Message);
        Assert.Equal(before, site.Host.ListTable("inet", "aurorasoc"));
        Assert.Equal(IsolationState.Isolated, failure.StateAfter);
    }

    [Fact]
    public void Isolate_NoneReachableFromNotIsolated_NoTableAfterwards()
    {
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        var failure = Assert.Throws<IsolationException>(() => isolator.Isolate(Policy($"{site.PeerIPv4}:{ClosedPort}"), Verify()));

        Assert.True(failure.RolledBack);
        Assert.Equal(IsolationState.NotIsolated, failure.StateAfter);
        Assert.Equal(string.Empty, site.Host.ListRuleset());
    }

    [Fact]
    public void Isolate_NoneReachableFromForeignEditedTable_ForeignEditsRestoredExactly()
    {
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        isolator.Isolate(Policy($"{site.CollectorIPv4}:{CollectorPort}"));
        site.Host.ApplyNftRuleset(
            "add chain inet aurorasoc ops { comment \"added by hand\"; }\n"
            + "add rule inet aurorasoc ops tcp dport 22 counter accept comment \"ssh for the responder\"\n"
            + "insert rule inet aurorasoc input meta mark 0x2a jump ops\n"
            + "add rule inet aurorasoc output ip daddr 203.0.113.0/24 tcp dport 443 drop\n");
        string before = site.Host.ListTable("inet", "aurorasoc");
        Assert.Contains("counter packets 0 bytes 0 accept comment \"ssh for the responder\"", before, StringComparison.Ordinal);

        var failure = Assert.Throws<IsolationException>(() => isolator.Isolate(Policy($"{site.PeerIPv4}:{ClosedPort}"), Verify()));

        Assert.True(failure.RolledBack);
        Assert.Equal(before, site.Host.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void Isolate_CollectorBlackholed_TimesOutWithinTheBoundAndRollsBack()
    {
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        // Nobody on the LAN answers ARP for .77: the SYN never leaves, the attempt can only run out of time.
        var failure = Assert.Throws<IsolationException>(() => isolator.Isolate(Policy($"192.0.2.77:{CollectorPort}"), Verify(TimeSpan.FromSeconds(1))));

        CollectorCheck check = Assert.Single(failure.CollectorChecks);
        Assert.Equal("timed out after 1000 ms", check.Error);
        Assert.Equal(string.Empty, site.Host.ListRuleset());
    }

    [Fact]
    public void Isolate_PreviousTableHoldsASet_RefusedBeforeAnythingChanges()
    {
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        isolator.Isolate(Policy($"{site.CollectorIPv4}:{CollectorPort}"));
        site.Host.ApplyNftRuleset("add rule inet aurorasoc output tcp dport { 80, 443 } drop\n");
        string before = site.Host.ListTable("inet", "aurorasoc");

        var refused = Assert.Throws<PolicyValidationException>(() => isolator.Isolate(Policy($"{site.PeerIPv4}:{ClosedPort}"), Verify()));

        Assert.Equal("verify-collector", refused.Field);
        Assert.Contains("set(s)", refused.Reason, StringComparison.Ordinal);
        Assert.Equal(before, site.Host.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void Isolate_NoCollectorWithPort_InvalidInputBeforeAnythingChanges()
    {
        using var ns = ThrowawayNamespace.Create("verify without port");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        var invalid = Assert.Throws<PolicyValidationException>(() => isolator.Isolate(new IsolationPolicy([Endpoint.Parse("192.0.2.10"), Endpoint.Parse("192.0.2.0/24:514")]), Verify()));

        Assert.Equal("verify-collector", invalid.Field);
        Assert.Equal(string.Empty, ns.ListRuleset());
    }

    private static IsolateOptions Verify(TimeSpan? timeout = null) => new() { VerifyCollectors = true, VerifyTimeout = timeout ?? TimeSpan.FromSeconds(5) };

    private static IsolationPolicy Policy(params string[] collectors) => new(collectors.Select(Endpoint.Parse));
}
