using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// With agent identities, an established connection to a collector that is not the agent's is cut in both modes (an
/// attacker's open session to the collector would otherwise outlive the isolation); the agent's — from its cgroup or a
/// cgroup below it, or under its uid — is kept.
/// </summary>
public sealed class AgentSessionCutTests
{
    private const int CollectorPort = 6514;

    [Theory]
    [InlineData(IsolationMode.Keep)]
    [InlineData(IsolationMode.Strict)]
    public void Isolate_AgentCgroup_NonAgentCollectorSessionCutAgentsKept(IsolationMode mode)
    {
        Requirements.RequireNfTables();
        using TestCgroup cgroup = TestCgroup.Create();
        string below = cgroup.CreateChild("worker");
        using Topology site = Topology.Create();
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, CollectorPort);
        using BackgroundProcess agent = HoldConnection(site, cgroup.AbsolutePath);
        using BackgroundProcess worker = HoldConnection(site, cgroup.Mount + "/" + below);
        using NamespaceTcpConnection intruder = NamespaceSockets.TcpOpen(site.Host, site.CollectorIPv4, CollectorPort, TimeSpan.FromSeconds(5));
        Assert.True(collector.WaitForAccepted(3, TimeSpan.FromSeconds(10)), "the three connections were not accepted");

        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        IsolationResult result = isolator.Isolate(new IsolationPolicy(
            [new Endpoint(site.CollectorIPv4, port: CollectorPort)],
            mode: mode,
            agentIdentities: [AgentIdentity.Resolve("cgroup", cgroup.RelativePath)]));

        Assert.Equal(1, result.SessionsCut.Destroyed);
        Assert.False(intruder.Exchange("still here"u8.ToArray(), TimeSpan.FromSeconds(2)).Replied);
        Assert.False(agent.HasExited);
        Assert.False(worker.HasExited);
    }

    [Fact]
    public void Isolate_AgentUser_RootsCollectorSessionCutInKeepMode()
    {
        Requirements.RequireNfTables();
        using Topology site = Topology.Create();
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, CollectorPort);
        using BackgroundProcess agent = HoldConnection(site, null, "--reuid=65534", "--regid=65534", "--clear-groups");
        using NamespaceTcpConnection intruder = NamespaceSockets.TcpOpen(site.Host, site.CollectorIPv4, CollectorPort, TimeSpan.FromSeconds(5));
        Assert.True(collector.WaitForAccepted(2, TimeSpan.FromSeconds(10)), "the two connections were not accepted");

        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);
        IsolationResult result = isolator.Isolate(new IsolationPolicy([new Endpoint(site.CollectorIPv4, port: CollectorPort)], agentIdentities: [AgentIdentity.Resolve("user", "nobody")]));

        Assert.Equal(1, result.SessionsCut.Destroyed);
        Assert.False(agent.HasExited);
    }

    /// <summary>A program that joins <paramref name="cgroupDirectory"/> (if any), connects to the collector and waits on it.</summary>
    private static BackgroundProcess HoldConnection(Topology site, string? cgroupDirectory, params string[] setpriv)
    {
        string join = cgroupDirectory is null ? string.Empty : $"echo $$ > '{cgroupDirectory}/cgroup.procs' && ";
        string run = setpriv.Length == 0 ? string.Empty : "exec setpriv " + string.Join(' ', setpriv) + " ";
        return ProcessRunner.StartBackground("nsenter", "--net=" + site.Host.Path, "bash", "-c", join + run + $"bash -c 'exec 3<>/dev/tcp/{site.CollectorIPv4}/{CollectorPort}; read -u 3 line'");
    }
}
