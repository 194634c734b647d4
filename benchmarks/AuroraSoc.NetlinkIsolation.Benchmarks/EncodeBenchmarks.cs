using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Vectors;
using BenchmarkDotNet.Attributes;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// The codec alone, no kernel (so no namespace): encoding the contract example's isolate batch into a reused
/// buffer, and decoding the table dump nft 1.0.6 received for it (tests/TestVectors/list-table.reply.hex).
/// </summary>
[MemoryDiagnoser]
[MedianColumn]
public class EncodeBenchmarks
{
    private IsolationRuleset? _ruleset;
    private NfTablesBatch? _batch;
    private byte[] _listTableReply = [];
    private uint _sequence = 1;

    [GlobalSetup]
    public void Setup()
    {
        _ruleset = IsolationRuleset.Build(ContractPolicies.Example());
        _batch = new NfTablesBatch(64 * 1024);
        _ruleset.WriteIsolateBatch(_batch, _sequence);
        Console.WriteLine($"// isolate batch: {_batch.MessageCount} messages, {_batch.Bytes.Length} bytes");

        _listTableReply = HexVectorFile.ReadDatagram(RepositoryPaths.TestVector("list-table.reply.hex"));
        NftTableSnapshot snapshot = DecodeTable();
        Console.WriteLine($"// list-table.reply.hex: {_listTableReply.Length} bytes, {snapshot.Chains.Count} chains, {snapshot.Rules.Count} rules");
        if (snapshot.Chains.Count != 3 || snapshot.Rules.Count != _ruleset.Rules.Count)
        {
            throw new InvalidOperationException("list-table.reply.hex does not decode to the contract example's table");
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _batch?.Dispose();

    /// <summary>
    /// The whole isolate transaction into the reused batch buffer, as HostIsolator builds it: the ruleset's messages,
    /// encoded once per policy, copied behind BATCH_BEGIN with fresh sequence numbers. Returns its length.
    /// </summary>
    [Benchmark]
    public int EncodeIsolateBatch()
    {
        _ruleset!.WriteIsolateBatch(_batch!, _sequence++);
        return _batch!.Bytes.Length;
    }

    /// <summary>The same batch encoded from the rule model through the schemas: what a new policy costs once.</summary>
    [Benchmark]
    public int EncodeIsolateBatchFromModel()
    {
        _ruleset!.WriteIsolateBatchFromModel(_batch!, _sequence++);
        return _batch!.Bytes.Length;
    }

    /// <summary>The captured dump (NEWGEN, NEWTABLE, 3 NEWCHAIN, 23 NEWRULE, DONEs) decoded into a table snapshot.</summary>
    [Benchmark]
    public NftTableSnapshot DecodeTable() => NfTablesDecoder.DecodeMessages(_listTableReply, NfProtocolFamily.Inet, IsolationPolicy.DefaultTableName);
}
