using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Isolation;
using BenchmarkDotNet.Attributes;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// The library against what a sensor that shells out pays: <c>nft -f</c> with the same isolate transaction
/// (tests/TestVectors/isolate-transaction.nft: add table; delete table; table inet aurorasoc {…}), process spawn
/// included. Both run with the table present, in one throwaway namespace. Only runs when nft is installed.
/// </summary>
/// <remarks>
/// nft is started by Process.Start on a thread that setns(2)'d into the namespace: clone(2) copies the calling
/// thread's namespaces, so nft runs inside it with no nsenter/ip-netns exec in between. The setup proves this
/// (a child's readlink of /proc/self/ns/net), and every spawn first re-checks the thread's namespace. The hand-off
/// to that thread (a few µs) is included in NftFile.
/// </remarks>
[MemoryDiagnoser]
[MedianColumn]
public class NftComparisonBenchmarks
{
    private readonly IsolationPolicy _policy = Policies.ContractExample();
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
            _file = RepositoryFiles.TestVector("isolate-transaction.nft");
            _namespace = ThrowawayNamespace.Create();
            _isolator = Isolators.OpenIn(_namespace);
            _thread = new NamespaceThread(_namespace);

            // A process started from the namespace thread lives in the namespace: proven, not assumed.
            string child = _thread.Invoke(() => Run("/usr/bin/readlink", "/proc/self/ns/net").Output.Trim());
            if (child != _namespace.Identity)
            {
                throw new InvalidOperationException($"a process started on the namespace thread is in {child}, not {_namespace.Identity}; not running nft");
            }

            Console.WriteLine($"// child process namespace {child} == {_namespace.Path} ({_namespace.Identity}); own namespace {NamespaceIdentity.OfProcess()}");

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
        (int exit, _, string errors) = _thread!.Invoke(() => Run(_nft, "-f", _file));
        return exit == 0 ? exit : throw new InvalidOperationException($"nft -f {_file} exited with {exit}: {errors.Trim()}");
    }

    private static (int Exit, string Output, string Errors) Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {program}");
        Task<string> errors = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return (process.ExitCode, output, errors.Result);
    }
}
