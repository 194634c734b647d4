using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Reliability;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>
/// The first isolate commits additions only — NEWTABLE with NLM_F_CREATE | NLM_F_EXCL, chains, rules — when the GETTABLE
/// probe finds no table, and falls back to the replace transaction when the table appeared in between
/// (docs/adr/0006-additions-only-first-isolate.md).
/// </summary>
public class FirstIsolateTests
{
    private const ushort NewTable = 0x0a00;
    private const ushort DelTable = 0x0a02;
    private const ushort NewChain = 0x0a03;
    private const ushort NewRule = 0x0a06;
    private const ushort CreateExclusively = Wire.FlagCreate | Wire.FlagExcl;
    private const ushort ChainNameAttribute = (ushort)NftChainAttribute.Name;
    private const ushort ChainId = (ushort)NftChainAttribute.Id;
    private const ushort RuleChain = (ushort)NftRuleAttribute.Chain;
    private const ushort RuleChainId = (ushort)NftRuleAttribute.ChainId;

    [Fact]
    public void WriteFirstIsolateBatch_ContractExample_NftTableBlockCreatedExclusivelyWithRulesNamingChainsById()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset.Build(ContractPolicies.Example()).WriteFirstIsolateBatch(batch, 0);

        // `nft -f` of the table block sends NEWTABLE, the chains, the rules. Here the table and the chains carry
        // NLM_F_EXCL as well (nft's `create`), chain i carries NFTA_CHAIN_ID i + 1, and each rule names its chain by
        // that id where nft writes its name.
        var chainIds = new Dictionary<string, uint>(StringComparer.Ordinal);
        var expected = new List<byte[]>();
        foreach (byte[] message in TestVector.Load("contract-example").Request)
        {
            byte[] changed = Wire.Type(message) switch
            {
                NewTable => WithFlags(message, CreateExclusively),
                NewChain => WithFlags(WithAttributes(message, (type, value) => [(type, value)], (ChainId, BigEndian((uint)chainIds.Count + 1))), Wire.FlagExcl),
                NewRule => WithAttributes(message, (type, value) => type == RuleChain ? [(RuleChainId, BigEndian(chainIds[Name(value)]))] : [(type, value)]),
                _ => message,
            };
            if (Wire.Type(message) == NewChain)
            {
                chainIds[ChainName(message)] = (uint)chainIds.Count + 1;
            }

            expected.Add(changed);
        }

        Assert.Equal(3, chainIds.Count);
        GoldenAssert.MessagesEqual(expected, Messages.Split(batch.Bytes));
    }

    [Fact]
    public void WriteFirstIsolateBatch_GuardedRuleset_AdditionsOnlyAllCreatedExclusivelyTableOwned()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.Example(), NftTableFlags.Owner | NftTableFlags.Persist);
        using var batch = new NfTablesBatch();
        ruleset.WriteFirstIsolateBatch(batch, 0);

        List<byte[]> messages = Messages.Split(batch.Bytes);
        Assert.Equal(ruleset.FirstIsolateMessageCount, batch.MessageCount);
        Assert.Equal(ruleset.FirstIsolateMessageCount, messages.Count);
        Assert.DoesNotContain(messages, message => Wire.Type(message) == DelTable);
        Assert.All(messages.Where(m => Wire.Type(m) is NewTable or NewChain), m => Assert.Equal(CreateExclusively, Wire.Flags(m) & CreateExclusively));
        Assert.Equal(ruleset.Rules.Count, messages.Count(m => Wire.Type(m) == NewRule));
        Assert.All(messages.Where(m => Wire.Type(m) == NewRule), m => Assert.DoesNotContain(Wire.AttributesOf(m), a => a.Type == RuleChain));
        Assert.Equal(0x6u, BinaryPrimitives.ReadUInt32BigEndian(messages[1].AsSpan(^4))); // NFTA_TABLE_FLAGS OWNER | PERSIST
    }

    [Fact]
    public void Isolate_NoTable_ProbesThenCommitsAdditionsOnly()
    {
        using var rig = new Rig();

        IsolationResult result = Bounded.Run(() => rig.Isolator.Isolate(Rig.Policy));

        Assert.Equal(["GETTABLE", "BATCH"], rig.RequestsAfter(0));
        IReadOnlyList<byte[]> batch = rig.Kernel.Requests[1].Messages;
        Assert.DoesNotContain(batch, message => Wire.Type(message) == DelTable);
        Assert.Equal(CreateExclusively, Wire.Flags(batch[1]) & CreateExclusively);
        Assert.Equal(1, rig.Kernel.BatchesCommitted);
        Assert.Equal(23, result.RuleCount);
        Assert.Null(Difference(rig, IsolationRuleset.Build(Rig.Policy)));
    }

    [Fact]
    public void Isolate_TableExists_ProbesThenReplacesWithTheContractBatch()
    {
        using var rig = new Rig();
        rig.Kernel.LoadCapturedContractExample();
        IsolationRuleset ruleset = IsolationRuleset.Build(Rig.Policy);
        using var expected = new NfTablesBatch();
        ruleset.WriteIsolateBatch(expected, 0);

        Bounded.Run(() => rig.Isolator.Isolate(Rig.Policy));

        Assert.Equal(["GETTABLE", "BATCH"], rig.RequestsAfter(0));
        GoldenAssert.MessagesEqual(Messages.Split(expected.Bytes), rig.Kernel.Requests[1].Messages);
        Assert.Equal(0, rig.Kernel.BatchesRejected);
    }

    [Fact]
    public void Isolate_Twice_FirstAddsOnlySecondReplaces()
    {
        using var rig = new Rig();

        Bounded.Run(() => rig.Isolator.Isolate(Rig.Policy));
        Bounded.Run(() => rig.Isolator.Isolate(Rig.Policy));

        Assert.Equal(["GETTABLE", "BATCH", "GETTABLE", "BATCH"], rig.RequestsAfter(0));
        Assert.DoesNotContain(rig.Kernel.Requests[1].Messages, message => Wire.Type(message) == DelTable);
        Assert.Contains(rig.Kernel.Requests[3].Messages, message => Wire.Type(message) == DelTable);
        Assert.Null(Difference(rig, IsolationRuleset.Build(Rig.Policy)));
    }

    [Fact]
    public void Isolate_TableAppearsBetweenProbeAndBatch_FallsBackToReplaceAndInstallsTheContract()
    {
        using var rig = new Rig();
        IsolationPolicy other = new([Endpoint.Parse("203.0.113.7")]);
        bool appeared = false;
        rig.Kernel.OnRequest = request =>
        {
            if (request.Name == "BATCH" && !appeared)
            {
                appeared = true;
                rig.Kernel.LoadCapturedContractExample(); // another process isolated with its own policy meanwhile
            }
        };

        IsolationResult result = Bounded.Run(() => rig.Isolator.Isolate(other));

        Assert.Equal(["GETTABLE", "BATCH", "BATCH"], rig.RequestsAfter(0));
        Assert.Equal(1, rig.Kernel.BatchesRejected); // EEXIST on the exclusive NEWTABLE: nothing changed
        Assert.Equal(1, rig.Kernel.BatchesCommitted);
        Assert.Contains(rig.Kernel.Requests[2].Messages, message => Wire.Type(message) == DelTable);
        Assert.Equal(IsolationRuleset.Build(other).Rules.Count, result.RuleCount);
        Assert.Null(Difference(rig, IsolationRuleset.Build(other)));
    }

    [Fact]
    public void Isolate_FirstBatchRefusedForAnotherReason_ThrowsWithoutASecondTransaction()
    {
        using var rig = new Rig();
        rig.Kernel.RejectBatch = _ => (6, Errno.EINVAL, null); // the second rule refused: no EEXIST, no fallback

        var error = Bounded.Run(() => Assert.Throws<IsolationException>(() => rig.Isolator.Isolate(Rig.Policy)));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Equal(["GETTABLE", "BATCH", "GETTABLE"], rig.RequestsAfter(0)); // the batch, then the probe for the report
        Assert.Equal(IsolationState.NotIsolated, error.StateAfter);
    }

    [Fact]
    public void Isolate_KernelWithoutRuleChainIds_FirstRuleRefusedThenReplaces()
    {
        using var rig = new Rig();

        // A kernel before NFTA_RULE_CHAIN_ID finds no chain for the first rule: EINVAL (nft_chain_lookup of no name).
        rig.Kernel.RejectBatch = messages => messages.Any(m => Wire.Type(m) == DelTable) ? null : (5, Errno.EINVAL, null);

        IsolationResult result = Bounded.Run(() => rig.Isolator.Isolate(Rig.Policy));

        Assert.Equal(["GETTABLE", "BATCH", "BATCH"], rig.RequestsAfter(0));
        Assert.Equal((1, 1), (rig.Kernel.BatchesRejected, rig.Kernel.BatchesCommitted));
        Assert.Equal(23, result.RuleCount);
    }

    private static string? Difference(Rig rig, IsolationRuleset ruleset)
    {
        IsolationStatus status = rig.Isolator.GetStatus();
        Assert.NotNull(status.Table);
        return ruleset.DescribeDifference(status.Table, rig.Isolator.PortId);
    }

    private static byte[] WithFlags(byte[] message, ushort flags)
    {
        byte[] copy = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(6), (ushort)(Wire.Flags(message) | flags));
        return copy;
    }

    /// <summary>The nfnetlink message rebuilt with each top-level attribute mapped, then <paramref name="appended"/>.</summary>
    private static byte[] WithAttributes(byte[] message, Func<ushort, byte[], IEnumerable<(ushort Type, byte[] Value)>> map, (ushort Type, byte[] Value)? appended = null)
    {
        var attributes = new List<(ushort Type, byte[] Value)>();
        foreach ((ushort type, byte[] value) in Wire.AttributesOf(message))
        {
            attributes.AddRange(map(type, value));
        }

        if (appended is { } extra)
        {
            attributes.Add(extra);
        }

        return Wire.WithAttributes(message, attributes);
    }

    private static byte[] BigEndian(uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return bytes;
    }

    private static string Name(byte[] value) => System.Text.Encoding.UTF8.GetString(value).TrimEnd('\0');

    private static string ChainName(byte[] message) => Name(Wire.AttributesOf(message).First(a => a.Type == ChainNameAttribute).Value);
}
