using System.Buffers.Binary;
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
    private const ushort CreateExclusively = Wire.FlagCreate | Wire.FlagExcl;

    [Fact]
    public void WriteFirstIsolateBatch_ContractExample_EqualsNftTableBlockWithTheTableCreatedExclusively()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset.Build(ContractPolicies.Example()).WriteFirstIsolateBatch(batch, 0);

        // `nft -f` of the table block sends NEWTABLE, chains, rules; nft's `create table` adds NLM_F_CREATE | NLM_F_EXCL.
        List<byte[]> expected = [.. TestVector.Load("contract-example").Request];
        Assert.Equal(NewTable, Wire.Type(expected[1]));
        BinaryPrimitives.WriteUInt16LittleEndian(expected[1].AsSpan(6), (ushort)(Wire.Flags(expected[1]) | CreateExclusively));
        GoldenAssert.MessagesEqual(expected, Messages.Split(batch.Bytes));
    }

    [Fact]
    public void WriteFirstIsolateBatch_ContractExample_TheReplaceBatchWithoutItsRemovalAndWithAnExclusiveTable()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.Example(), NftTableFlags.Owner | NftTableFlags.Persist);
        using var first = new NfTablesBatch();
        using var replace = new NfTablesBatch();
        ruleset.WriteFirstIsolateBatch(first, 0);
        ruleset.WriteIsolateBatch(replace, 0);

        List<byte[]> messages = Messages.Split(first.Bytes);
        List<byte[]> replacing = Messages.Split(replace.Bytes);
        Assert.Equal(ruleset.FirstIsolateMessageCount, first.MessageCount);
        Assert.Equal(replacing.Count - 2, messages.Count);
        Assert.DoesNotContain(messages, message => Wire.Type(message) == DelTable);
        Assert.Equal(CreateExclusively, Wire.Flags(messages[1]) & CreateExclusively);
        Assert.Equal(0x6u, BinaryPrimitives.ReadUInt32BigEndian(messages[1].AsSpan(^4))); // NFTA_TABLE_FLAGS OWNER | PERSIST

        // The same table, chains and rules as the replace batch's second NEWTABLE onwards; only the flags differ.
        byte[] table = (byte[])messages[1].Clone();
        BinaryPrimitives.WriteUInt16LittleEndian(table.AsSpan(6), Wire.Flags(replacing[3]));
        GoldenAssert.MessagesEqual([replacing[0], .. replacing[3..]], [messages[0], table, .. messages[2..]]);
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
        rig.Kernel.RejectBatch = _ => (5, Errno.EINVAL, null); // a rule the kernel refuses: no EEXIST, no fallback

        var error = Bounded.Run(() => Assert.Throws<IsolationException>(() => rig.Isolator.Isolate(Rig.Policy)));

        Assert.Equal(Errno.EINVAL, error.Errno);
        Assert.Equal(["GETTABLE", "BATCH", "GETTABLE"], rig.RequestsAfter(0)); // the batch, then the probe for the report
        Assert.Equal(IsolationState.NotIsolated, error.StateAfter);
    }

    private static string? Difference(Rig rig, IsolationRuleset ruleset)
    {
        IsolationStatus status = rig.Isolator.GetStatus();
        Assert.NotNull(status.Table);
        return ruleset.DescribeDifference(status.Table, rig.Isolator.PortId);
    }
}
