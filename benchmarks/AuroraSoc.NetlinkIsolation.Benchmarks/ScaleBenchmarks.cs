using AuroraSoc.NetlinkIsolation.Benchmarks.Columns;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Isolation;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// Isolate with 1, 10, 100 and 1000 allowed endpoints, each size one transaction, in a throwaway namespace with the
/// table present (the atomic swap every isolate call after the first performs). "Peers" counts the policy's
/// endpoints: the collector it requires plus Peers − 1 allowed peers, because IsolationPolicy caps collectors,
/// peers and resolvers together at 1000; each endpoint adds one input and one output rule.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
[Config(typeof(Config))]
public class ScaleBenchmarks
{
    private IsolationPolicy? _policy;
    private ThrowawayNamespace? _namespace;
    private HostIsolator? _isolator;

    [Params(1, 10, 100, 1000)]
    public int Peers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        try
        {
            _policy = ScalePolicies.WithEndpoints(Peers);
            _namespace = Isolators.CreateNamespace("scale");
            _isolator = Isolators.OpenIn(_namespace);
            IsolationResult result = _isolator.Isolate(_policy);
            Console.WriteLine($"// Peers={Peers}: IsolationResult.RuleCount={result.RuleCount}, BatchBytes={result.BatchBytes}, first isolate {result.ElapsedMicroseconds} µs");
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
        _isolator?.Dispose();
        _isolator = null;
        _namespace?.Dispose();
        _namespace = null;
    }

    [Benchmark]
    public IsolationResult Reisolate() => _isolator!.Isolate(_policy!);

    private sealed class Config : ManualConfig
    {
        public Config() => AddColumn(BatchColumn.Rules, BatchColumn.BatchBytes, BatchColumn.MedianPerRule);
    }
}
