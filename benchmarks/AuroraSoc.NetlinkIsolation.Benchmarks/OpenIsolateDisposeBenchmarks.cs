using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Isolation;
using BenchmarkDotNet.Attributes;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// What a library user pays for one isolate from start to finish — open the isolator, isolate, dispose it — in the two
/// cases the isolate transaction has (docs/adr/0006-additions-only-first-isolate.md): the first isolate of a namespace
/// (additions only: nothing for the socket's close to wait for) and a replace over a present table (the commit deletes
/// the old table, and the close waits for nf_tables' destroy work, an RCU grace period). Library only, in throwaway
/// namespaces.
/// </summary>
/// <remarks>
/// As in <see cref="IsolationLatencyBenchmarks"/>, an [IterationSetup] puts <see cref="FleetSize"/> namespaces into
/// the state the operation starts from and one invocation runs it once in each (OperationsPerInvoke). The setup's own
/// isolator is disposed before the iteration starts, so the deletions it made are flushed by its own close and the
/// measured first isolates find no destroy work pending. A sentinel namespace stays isolated, so the netfilter static
/// keys are on (see <see cref="IsolationLatencyBenchmarks"/>).
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
[WarmupCount(3)]
[IterationCount(15)]
public class OpenIsolateDisposeBenchmarks
{
    /// <summary>Namespaces per invocation: each replace waits a grace period (4–20 ms here), so fewer than the latency fleet.</summary>
    public const int FleetSize = 16;

    private readonly IsolationPolicy _policy = ContractPolicies.Example();
    private ThrowawayNamespace[]? _fleet;
    private ThrowawayNamespace? _sentinelNamespace;
    private HostIsolator? _sentinel;

    [GlobalSetup]
    public void Setup()
    {
        try
        {
            _sentinelNamespace = Isolators.CreateNamespace("sentinel holding the netfilter hook keys");
            _sentinel = Isolators.OpenIn(_sentinelNamespace);
            _sentinel.Isolate(_policy);
            _fleet = ThrowawayNamespace.CreateMany(FleetSize, "open, isolate, dispose", Isolators.NamespacePrefix);
        }
        catch
        {
            Cleanup();
            throw;
        }
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        ThrowawayNamespace.DisposeAll(_fleet);
        _fleet = null;
        _sentinel?.Dispose();
        _sentinel = null;
        _sentinelNamespace?.Dispose();
        _sentinelNamespace = null;
    }

    /// <summary>Open, isolate a namespace that has no isolation table (additions only), dispose.</summary>
    [Benchmark(Baseline = true, OperationsPerInvoke = FleetSize)]
    public int OpenIsolateFirstDispose() => OpenIsolateDispose();

    [IterationSetup(Target = nameof(OpenIsolateFirstDispose))]
    public void RemoveTables()
    {
        foreach (ThrowawayNamespace ns in _fleet!)
        {
            using HostIsolator setup = Isolators.OpenIn(ns);
            setup.Unisolate();
        }
    }

    /// <summary>Open, isolate a namespace that is isolated (the replace transaction), dispose.</summary>
    [Benchmark(OperationsPerInvoke = FleetSize)]
    public int OpenIsolateReplaceDispose() => OpenIsolateDispose();

    [IterationSetup(Target = nameof(OpenIsolateReplaceDispose))]
    public void InstallTables()
    {
        foreach (ThrowawayNamespace ns in _fleet!)
        {
            using HostIsolator setup = Isolators.OpenIn(ns);
            if (!setup.IsIsolated())
            {
                setup.Isolate(_policy);
            }
        }
    }

    private int OpenIsolateDispose()
    {
        int rules = 0;
        foreach (ThrowawayNamespace ns in _fleet!)
        {
            using HostIsolator isolator = Isolators.OpenIn(ns);
            rules += isolator.Isolate(_policy).RuleCount;
        }

        return rules;
    }
}
