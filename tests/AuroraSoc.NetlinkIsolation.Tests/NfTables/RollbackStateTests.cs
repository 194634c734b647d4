using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

public class RollbackStateTests
{
    [Fact]
    public void WriteRestoreBatch_KernelDumpOfContractExample_OurIsolateTransactionUpToKernelDefaults()
    {
        RollbackState state = RollbackState.Capture(StatusOf("list-table"), []);
        using var batch = new NfTablesBatch();

        state.WriteRestoreBatch(batch, 0);

        // Table and chain messages are nft's byte for byte, but for the first NEWTABLE, which carries no flags as our
        // isolate transaction's does (a guard rolls back a table it owns); rules carry the attributes the kernel
        // reports with their default values (NFTA_BITWISE_OP, NFTA_REJECT_ICMP_CODE), which nft leaves out: the same
        // rules to the kernel.
        IReadOnlyList<byte[]> nft = Messages.WithFirstNewTableFlagless(TestVector.Load("isolate-transaction").Request);
        List<byte[]> ours = Messages.Split(batch.Bytes);
        const int tableAndChainMessages = 1 + 3 + 3;
        GoldenAssert.MessagesEqual(nft.Take(tableAndChainMessages).ToList(), ours.Take(tableAndChainMessages).ToList());
        GoldenAssert.MessagesEqual([nft[^1]], [ours[^1]]);
        NftTableSnapshot expected = NfTablesDecoder.DecodeMessages(Messages.Concat(nft), NfProtocolFamily.Inet, "aurorasoc");
        NftTableSnapshot restored = NfTablesDecoder.DecodeMessages(batch.Bytes, NfProtocolFamily.Inet, "aurorasoc");
        Assert.Equal(expected.Rules.Count, restored.Rules.Count);
        Assert.All(expected.Rules.Zip(restored.Rules), pair => Assert.True(pair.First.IsEquivalentTo(pair.Second), NftSyntaxRenderer.RenderRule(pair.First)));
        Assert.Equal(state.MessageCount, batch.MessageCount);
    }

    [Fact]
    public void WriteRestoreBatch_NoTable_EqualsOurUnisolateTransaction()
    {
        RollbackState state = RollbackState.Capture(new IsolationStatus(IsolationState.NotIsolated, "aurorasoc", null, [], 1), []);
        using var batch = new NfTablesBatch();

        state.WriteRestoreBatch(batch, 0);

        GoldenAssert.MessagesEqual(Messages.WithFirstNewTableFlagless(TestVector.Load("unisolate-transaction").Request), Messages.Split(batch.Bytes));
        Assert.Null(state.Table);
    }

    [Fact]
    public void WriteRestoreBatch_TableWithComment_KeepsTheUserData()
    {
        RollbackState state = RollbackState.Capture(StatusOf("reason-comment"), []);
        using var batch = new NfTablesBatch();

        state.WriteRestoreBatch(batch, 0);
        NftTableSnapshot restored = NfTablesDecoder.DecodeMessages(batch.Bytes, NfProtocolFamily.Inet, "aurorasoc");

        Assert.Equal("INC-4711 isolated by soc@example.com", restored.Table.Comment);
    }

    [Fact]
    public void Capture_TableWithMoreObjectsThanChains_ThrowsNamingThem()
    {
        IsolationStatus status = StatusOf("list-table");
        byte[] reply = Messages.Concat(TestVector.Load("list-table").Reply);
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(reply, NfProtocolFamily.Inet, "aurorasoc");
        NftTableSnapshot withSet = snapshot with { Chains = snapshot.Chains.Take(2).ToList() }; // use 3, two chains: one object unaccounted for

        var exception = Assert.Throws<InvalidOperationException>(() => RollbackState.Capture(IsolationStatus.FromSnapshot("aurorasoc", withSet, status.Generation), []));

        Assert.Contains("stateful object(s) or flowtable(s)", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_TableWithSets_ThrowsNamingThem()
    {
        var exception = Assert.Throws<InvalidOperationException>(() => RollbackState.Capture(StatusOf("list-table"), ["__set0", "blocklist"]));

        Assert.Contains("2 set(s) or map(s) (__set0, blocklist)", exception.Message, StringComparison.Ordinal);
    }

    /// <summary>The status a kernel dump (or the messages nft sent) decodes to; the table is read back through the schemas.</summary>
    private static IsolationStatus StatusOf(string vector)
    {
        TestVector loaded = TestVector.Load(vector);
        IReadOnlyList<byte[]> messages = loaded.Reply.Count > 2 ? loaded.Reply : loaded.Request;
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(Messages.Concat(messages), NfProtocolFamily.Inet, "aurorasoc");
        return IsolationStatus.FromSnapshot("aurorasoc", snapshot, 1);
    }
}
