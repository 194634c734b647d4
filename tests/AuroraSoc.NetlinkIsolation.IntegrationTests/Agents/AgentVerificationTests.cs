using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// --verify-collector with agent identities verifies as the agent: the probe socket is created under the first
/// identity's uid or gid (a root probe would be reset by design), so it succeeds when the collector listens and rolls
/// back when it does not.
/// </summary>
public sealed class AgentVerificationTests
{
    private const int CollectorPort = 6514;

    [Theory]
    [InlineData("user")]
    [InlineData("group")]
    public void Isolate_VerifyAsAgent_CollectorListening_Verified(string kind)
    {
        Requirements.RequireNfTables();
        using Topology site = Topology.Create();
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, CollectorPort);
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        IsolationResult result = isolator.Isolate(Policy(site, kind), new IsolateOptions { VerifyCollectors = true, VerifyTimeout = TimeSpan.FromSeconds(5) });

        Assert.True(Assert.Single(result.Verified).Ok);
        Assert.Equal(IsolationState.Isolated, isolator.GetStatus().State);
    }

    [Fact]
    public void Isolate_VerifyAsAgent_NothingListening_RolledBack()
    {
        Requirements.RequireNfTables();
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        IsolationException failure = Assert.Throws<IsolationException>(() => isolator.Isolate(Policy(site, "user"), new IsolateOptions { VerifyCollectors = true, VerifyTimeout = TimeSpan.FromSeconds(2) }));

        Assert.True(failure.RolledBack);
        Assert.Equal(IsolationState.NotIsolated, isolator.GetStatus().State);
    }

    [Fact]
    public void Isolate_VerifyWithCgroupFirst_RefusedBeforeAnythingChanges()
    {
        Requirements.RequireNfTables();
        using TestCgroup cgroup = TestCgroup.Create();
        using Topology site = Topology.Create();
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        var policy = new IsolationPolicy([new Endpoint(site.CollectorIPv4, port: CollectorPort)], agentIdentities: [AgentIdentity.Resolve("cgroup", cgroup.RelativePath)]);

        Assert.Throws<PolicyValidationException>(() => isolator.Isolate(policy, new IsolateOptions { VerifyCollectors = true }));
        Assert.Equal(IsolationState.NotIsolated, isolator.GetStatus().State);
    }

    private static IsolationPolicy Policy(Topology site, string kind)
        => new([new Endpoint(site.CollectorIPv4, port: CollectorPort)], agentIdentities: [AgentIdentity.Resolve(kind, "65534")]);
}
