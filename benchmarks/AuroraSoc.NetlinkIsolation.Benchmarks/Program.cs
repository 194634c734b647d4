using AuroraSoc.NetlinkIsolation.Benchmarks;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Filters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// `ops OPERATION COUNT`: runs one benchmark method in a plain loop, for strace -c / perf
// (benchmarks/syscalls-per-op.sh). Anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "ops")
{
    return OperationLoop.Run(args[1..]);
}

// `exposure COUNT`: the guard's exposure window after foreign deletions (docs/benchmarks.md, Guard).
if (args.Length > 0 && args[0] == "exposure")
{
    return ExposureWindow.Run(args[1..]);
}

// `persist-probe COUNT`: the cost of the guard's PERSIST feature probe (docs/adr/0002-table-persistence-probe.md).
if (args.Length > 0 && args[0] == "persist-probe")
{
    return PersistenceProbeCost.Run(args[1..]);
}

if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("warning: not root; every benchmark except EncodeBenchmarks needs root (ip netns add, CAP_NET_ADMIN).");
}

IConfig config = DefaultConfig.Instance;

// In-process by default: BenchmarkDotNet's default toolchain generates and builds a second project (about 70 s on
// the 2-core reference machine, because it disables the shared compiler), which alone breaks the 3-minute budget of
// `--filter '*' --job short`. The benchmarks measure system calls and kernel work, which a separate process would
// not change; `--out-of-process` restores the default toolchain. The mutator job adds only the toolchain to
// whatever job the command line picks (--job short, ...).
const string OutOfProcess = "--out-of-process";
if (args.Contains(OutOfProcess))
{
    args = [.. args.Where(a => a != OutOfProcess)];
}
else
{
    config = config.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsMutator());
}

if (NftComparisonBenchmarks.FindNft() is null)
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
    // Benchmarks delete their namespaces in [GlobalCleanup] or at exit; a benchmark process that was killed cannot.
    foreach (string orphan in ThrowawayNamespace.SweepStale(Isolators.NamespacePrefix))
    {
        Console.Error.WriteLine($"deleted orphaned namespace {orphan}");
    }
}
