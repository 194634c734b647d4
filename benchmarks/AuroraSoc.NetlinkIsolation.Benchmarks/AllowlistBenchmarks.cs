using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using BenchmarkDotNet.Attributes;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// Large allowlists, no kernel: reading and merging a list of random IPv4 prefixes (with overlaps), building the
/// ruleset with its named sets (elements encoded once), and copying the encoded isolate batch into a reused buffer.
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class AllowlistBenchmarks
{
    private string _list = string.Empty;
    private IsolationPolicy? _policy;
    private IsolationRuleset? _ruleset;
    private NfTablesBatch? _batch;
    private uint _sequence = 1;

    [Params(1_000, 10_000, 100_000)]
    public int Peers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(Peers);
        var text = new StringBuilder();
        int[] lengths = [20, 22, 24, 24, 26, 28, 30, 32, 32, 32];
        for (int i = 0; i < Peers; i++)
        {
            int prefix = lengths[random.Next(lengths.Length)];
            uint address = (uint)random.NextInt64(0x0b000000, 0x7f000000) & (prefix == 32 ? uint.MaxValue : ~((1u << (32 - prefix)) - 1));
            text.Append(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{prefix}\n");
        }

        _list = text.ToString();
        _policy = ReadAndMerge();
        _ruleset = IsolationRuleset.Build(_policy);
        _batch = new NfTablesBatch(8 * 1024 * 1024);
        Console.WriteLine($"// {Peers} peers -> {_policy.PeerCount} merged, isolate batch {_ruleset.IsolateMessageCount} messages");
    }

    [GlobalCleanup]
    public void Cleanup() => _batch?.Dispose();

    /// <summary>The list read line by line and merged into the policy's sets.</summary>
    [Benchmark]
    public IsolationPolicy ReadAndMerge()
        => new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]).WithAllowedPeersFrom(new StringReader(_list), "bench");

    /// <summary>The ruleset of the merged policy: set elements built and every transaction's messages encoded once.</summary>
    [Benchmark]
    public int BuildRuleset() => IsolationRuleset.Build(_policy!).IsolateMessageCount;

    /// <summary>The isolate transaction copied into the reused buffer with fresh sequence numbers (what a re-isolate costs).</summary>
    [Benchmark]
    public int EncodeIsolateBatch()
    {
        _ruleset!.WriteIsolateBatch(_batch!, _sequence++);
        return _batch!.Bytes.Length;
    }
}
