using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Testing.Logging;
using static AuroraSoc.NetlinkIsolation.IntegrationTests.Agents.AgentProbe;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// The guard and an agent cgroup that goes away and comes back (a service restart, or a boot where the guard starts
/// before the agent): while it is gone the isolation stays with the stale id (status degraded, nothing opens); once it
/// exists again the guard, woken by inotify on the parent directory, re-commits and the agent connects again.
/// </summary>
public sealed class AgentCgroupGuardTests : IDisposable
{
    private const int CollectorPort = 6514;
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private readonly Topology _site;
    private readonly NamespaceTcpListener _collector;
    private readonly TestCgroup _cgroup;
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("aurorasoc-agent-guard-");
    private readonly IntentStore _store;
    private IsolationGuard? _guard;

    public AgentCgroupGuardTests()
    {
        Requirements.RequireNfTables();
        _cgroup = TestCgroup.Create();
        _site = Topology.Create();
        _collector = NamespaceSockets.StartTcpListener(_site.Lan, _site.CollectorIPv4, CollectorPort);
        _store = new IntentStore(_state.FullName);
    }

    public void Dispose()
    {
        _guard?.Dispose();
        _collector.Dispose();
        _site.Dispose();
        _cgroup.Dispose();
        _state.Delete(recursive: true);
    }

    [Fact]
    public void Guard_AgentCgroupRecreated_DegradedWhileGoneThenAgentConnectsAgain()
    {
        Record(AgentIdentity.Resolve("cgroup", _cgroup.RelativePath));
        StartGuard();
        Assert.Equal(Outcome.Connected, Agent());

        _cgroup.RemoveTree();
        Assert.Single(Status().StaleAgentIdentities);
        Directory.CreateDirectory(_cgroup.AbsolutePath);
        TimeSpan reconnected = UntilAgentConnects();

        Assert.True(reconnected < Bound, $"the agent did not connect again within {Bound}");
        Assert.Empty(Status().StaleAgentIdentities);
        Assert.Equal(IsolationState.Isolated, Status().Kernel.State);
        Assert.Equal(Outcome.Reset, Connect(_site.Host.Path, _site.CollectorIPv4, CollectorPort));
        TestContext.Current.TestOutputHelper?.WriteLine($"cgroup created again -> agent connected: {reconnected.TotalMilliseconds:0} ms");
    }

    [Fact]
    public void Guard_AgentCgroupAbsentAtStart_InstalledFailClosedThenAgentConnectsWhenCreated()
    {
        Record(AgentIdentity.Resolve("cgroup", _cgroup.RelativePath));
        _cgroup.RemoveTree(); // a boot: the guard starts before the agent's service made its cgroup

        StartGuard();

        Assert.Equal(RestoreOutcome.Degraded, Assert.Single(_guard!.StartOutcomes).Outcome);
        Assert.Equal(IsolationState.Isolated, Status().Kernel.State);
        Assert.Single(Status().StaleAgentIdentities);
        Assert.Equal(Outcome.Reset, Connect(_site.Host.Path, _site.CollectorIPv4, CollectorPort));

        Directory.CreateDirectory(_cgroup.AbsolutePath);
        TimeSpan connected = UntilAgentConnects();

        Assert.True(connected < Bound, $"the agent did not connect within {Bound}");
        Assert.Empty(Status().StaleAgentIdentities);
        TestContext.Current.TestOutputHelper?.WriteLine($"cgroup created -> agent connected: {connected.TotalMilliseconds:0} ms");
    }

    private void Record(AgentIdentity agent)
    {
        var policy = new IsolationPolicy([new Endpoint(_site.CollectorIPv4, port: CollectorPort)], agentIdentities: [agent]);
        using (_store.AcquireLock())
        {
            _store.Record(IsolationIntent.Create(_site.Host.Path, policy));
        }
    }

    private void StartGuard()
        => _guard = IsolationGuard.Start(new IsolationGuardOptions { StateDirectory = _state.FullName, VerifyInterval = TimeSpan.FromMinutes(5) }, new RecordingLogger());

    private Outcome Agent() => Connect(_site.Host.Path, _site.CollectorIPv4, CollectorPort, _cgroup.AbsolutePath);

    /// <summary>Tries as the agent until it connects (bounded); returns how long that took.</summary>
    private TimeSpan UntilAgentConnects()
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Bound && Agent() != Outcome.Connected)
        {
        }

        return clock.Elapsed;
    }

    private DurableIsolationStatus Status()
    {
        using HostIsolator isolator = HostIsolator.Open(_site.Host.Path);
        return new DurableIsolator(isolator, _store).GetStatus(IsolationPolicy.DefaultTableName);
    }
}
