using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Processes;
using BenchmarkDotNet.Attributes;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// The library against what a sensor that shells out pays: <c>nft -f</c> with the same isolate transaction
/// (tests/TestVectors/isolate-transaction.nft: add table; delete table; table inet aurorasoc {…}), process spawn
/// included. Both run with the table present, in one throwaway namespace. Only runs when nft is installed.
/// </summary>
/// <remarks>
/// nft is started on a <see cref="NamespaceThread"/>, a thread that entered the namespace: clone(2) copies the calling
/// thread's namespaces, so nft runs inside it with no nsenter/ip-netns exec in between. The setup proves this
/// (a child's readlink of /proc/self/ns/net), and every spawn first re-checks the thread's namespace. The hand-off
/// to that thread (a few µs) is included in NftFile.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class NftComparisonBenchmarks
{
    private readonly IsolationPolicy _policy = ContractPolicies.Example();
    private ThrowawayNamespace? _namespace;
    private HostIsolator? _isolator;
    private NamespaceThread? _thread;
    private string _nft = "nft";
    private string _file = string.Empty;

    /// <summary>Where nft is, or null when it is not installed.</summary>
    public static string? FindNft()
        => (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin")
            .Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Append("/usr/sbin").Append("/sbin")
            .Select(dir => Path.Combine(dir, "nft"))
            .FirstOrDefault(File.Exists);

    [GlobalSetup]
    public void Setup()
    {
        try
        {
            _nft = FindNft() ?? throw new InvalidOperationException("nft is not installed");
            _file = RepositoryPaths.TestVector("isolate-transaction.nft");
            _namespace = Isolators.CreateNamespace("nft comparison");
            _isolator = Isolators.OpenIn(_namespace);
            _thread = new NamespaceThread(_namespace.Path);

            // A process started from the namespace thread lives in the namespace: proven, not assumed.
            string expected = NetworkNamespaceInode.Format(_namespace.Inode);
            string child = _thread.Invoke(() => ProcessRunner.Run("/usr/bin/readlink", "/proc/self/ns/net").EnsureSuccess().StandardOutput.Trim());
            if (child != expected)
            {
                throw new InvalidOperationException($"a process started on the namespace thread is in {child}, not {expected}; not running nft");
            }

            Console.WriteLine($"// child process namespace {child} == {_namespace.Path}; own namespace {NetworkNamespaceInode.Format(NetworkNamespaceInode.OfProcess())}");

            NftFile();
            IsolationStatus afterNft = _isolator.GetStatus();
            if (afterNft.State != IsolationState.Isolated || afterNft.Table?.Rules.Count != IsolationRuleset.Build(_policy).Rules.Count)
            {
                throw new InvalidOperationException("nft -f did not install the contract example");
            }

            _isolator.Isolate(_policy);
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
        _thread?.Dispose();
        _thread = null;
        _isolator?.Dispose();
        _isolator = null;
        _namespace?.Dispose();
        _namespace = null;
    }

    /// <summary>The library's isolate with the table present (same as IsolationLatencyBenchmarks.Reisolate).</summary>
    [Benchmark(Baseline = true)]
    public IsolationResult Reisolate() => _isolator!.Isolate(_policy);

    /// <summary><c>nft -f isolate-transaction.nft</c> as a child process in the namespace, waited for.</summary>
    [Benchmark]
    public int NftFile()
    {
        return _thread!.Invoke(() => ProcessRunner.Run(_nft, "-f", _file)).EnsureSuccess().ExitCode;
    }
}
