using AuroraSoc.NetlinkIsolation.Isolation;

using static AuroraSoc.NetlinkIsolation.IntegrationTests.Agents.AgentProbe;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// Collectors bound to the agent, on real sockets: in an isolated namespace, a program in the agent's cgroup (or a
/// cgroup below it), running as the agent's user, or with the agent's group, connects to the collector behind a veth;
/// the same program as root outside gets a TCP reset; an allowed peer stays reachable by both.
/// </summary>
public sealed class AgentIdentityLiveTests
{
    private const int CollectorPort = 6514;
    private const int PeerPort = 4444;
    private const string Nobody = "65534";

    [Fact]
    public void Isolate_AgentCgroup_AgentConnectsRootOutsideIsReset()
    {
        using Site site = Site.Create();
        using TestCgroup cgroup = TestCgroup.Create();
        site.Isolate(AgentIdentity.Resolve("cgroup", cgroup.RelativePath));

        Assert.Equal(Outcome.Connected, site.ToCollector(cgroup.AbsolutePath));
        Assert.Equal(Outcome.Reset, site.ToCollector(null));
        Assert.Equal(Outcome.Connected, site.ToPeer(cgroup.AbsolutePath));
        Assert.Equal(Outcome.Connected, site.ToPeer(null));
    }

    [Fact]
    public void Isolate_AgentCgroup_ProcessInACgroupBelowConnects()
    {
        using Site site = Site.Create();
        using TestCgroup cgroup = TestCgroup.Create();
        string child = cgroup.CreateChild("worker");
        site.Isolate(AgentIdentity.Resolve("cgroup", cgroup.RelativePath));

        Assert.Equal(Outcome.Connected, site.ToCollector(cgroup.Mount + "/" + child));
    }

    [Fact]
    public void Isolate_AgentCgroupByPid_BindsThatProcessCgroup()
    {
        using Site site = Site.Create();
        using TestCgroup cgroup = TestCgroup.Create();
        AgentIdentity identity;
        using (BackgroundProcess sleeper = ProcessRunner.StartBackground("bash", "-c", $"echo $$ > '{cgroup.AbsolutePath}/cgroup.procs' && exec sleep 30"))
        {
            WaitUntilIn(cgroup, sleeper.Id);
            identity = AgentIdentity.Resolve("cgroup", $"pid:{sleeper.Id}");
        }

        site.Isolate(identity);

        Assert.Equal((1, cgroup.RelativePath), (identity.CgroupLevel, identity.CgroupPath));
        Assert.Equal(Outcome.Connected, site.ToCollector(cgroup.AbsolutePath));
        Assert.Equal(Outcome.Reset, site.ToCollector(null));
    }

    [Fact]
    public void Isolate_AgentUser_ThatUidConnectsRootIsReset()
    {
        using Site site = Site.Create();
        site.Isolate(AgentIdentity.Resolve("user", "nobody"));

        Assert.Equal(Outcome.Connected, site.ToCollector(null, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups"));
        Assert.Equal(Outcome.Reset, site.ToCollector(null));
        Assert.Equal(Outcome.Connected, site.ToPeer(null, $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups"));
        Assert.Equal(Outcome.Connected, site.ToPeer(null));
    }

    [Fact]
    public void Isolate_AgentGroup_ThatGidConnectsRootIsReset()
    {
        using Site site = Site.Create();
        site.Isolate(AgentIdentity.Resolve("group", Nobody));

        Assert.Equal(Outcome.Connected, site.ToCollector(null, $"--regid={Nobody}", "--clear-groups"));
        Assert.Equal(Outcome.Reset, site.ToCollector(null));
        Assert.Equal(Outcome.Connected, site.ToPeer(null));
    }

    private static void WaitUntilIn(TestCgroup cgroup, int pid)
    {
        for (int i = 0; i < 250 && !File.ReadAllText(cgroup.AbsolutePath + "/cgroup.procs").Contains(pid.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal); i++)
        {
            Thread.Sleep(20);
        }
    }

    /// <summary>A topology with a collector and a peer listening in the LAN namespace; the host namespace isolated on demand.</summary>
    private sealed class Site : IDisposable
    {
        private readonly Topology _topology;
        private readonly List<IDisposable> _owned = [];

        private Site(Topology topology) => _topology = topology;

        public static Site Create()
        {
            Requirements.RequireNfTables();
            var site = new Site(Topology.Create());
            try
            {
                site._owned.Add(NamespaceSockets.StartTcpListener(site._topology.Lan, site._topology.CollectorIPv4, CollectorPort));
                site._owned.Add(NamespaceSockets.StartTcpListener(site._topology.Lan, site._topology.PeerIPv4, PeerPort));
                return site;
            }
            catch
            {
                site.Dispose();
                throw;
            }
        }

        public void Isolate(params AgentIdentity[] agents)
        {
            using HostIsolator isolator = HostIsolator.Open(_topology.Host.Path);
            isolator.Isolate(new IsolationPolicy(
                [new Endpoint(_topology.CollectorIPv4, port: CollectorPort)],
                [new Endpoint(_topology.PeerIPv4, port: PeerPort)],
                agentIdentities: agents));
        }

        public Outcome ToCollector(string? cgroupDirectory, params string[] setpriv)
            => Connect(_topology.Host.Path, _topology.CollectorIPv4, CollectorPort, cgroupDirectory, setpriv);

        public Outcome ToPeer(string? cgroupDirectory, params string[] setpriv)
            => Connect(_topology.Host.Path, _topology.PeerIPv4, PeerPort, cgroupDirectory, setpriv);

        public void Dispose()
        {
            _owned.ForEach(o => o.Dispose());
            _topology.Dispose();
        }
    }
}
