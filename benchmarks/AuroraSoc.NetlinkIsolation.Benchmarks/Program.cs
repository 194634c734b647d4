using AuroraSoc.NetlinkIsolation.Benchmarks;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Running;

// `ops OPERATION COUNT`: runs one operation COUNT times without BenchmarkDotNet, for strace -c / perf
// (benchmarks/syscalls-per-op.sh). Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ops")
{
    return OperationLoop.Run(args[1..]);
}

if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("warning: not root; every benchmark except EncodeBenchmarks needs root (ip netns add, CAP_NET_ADMIN).");
}

string? nft = NftComparisonBenchmarks.FindNft();
IConfig config = DefaultConfig.Instance;
if (nft is null)
{
    Console.Error.WriteLine("nft is not installed: skipping NftComparisonBenchmarks.");
    config = config.AddFilter(new SimpleFilter(b => b.Descriptor.Type != typeof(NftComparisonBenchmarks)));
}

try
{
    BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
    return 0;
}
finally
{
    // Benchmark processes delete their namespaces in [GlobalCleanup] or at exit; one that was killed cannot.
    foreach (string orphan in ThrowawayNamespace.SweepOrphans())
    {
        Console.Error.WriteLine($"deleted orphaned namespace {orphan}");
    }
}
