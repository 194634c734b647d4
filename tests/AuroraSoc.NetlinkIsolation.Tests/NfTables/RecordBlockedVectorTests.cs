using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>--record-blocked against nft 1.0.6's bytes and listing (tests/TestVectors/record-blocked).</summary>
public class RecordBlockedVectorTests
{
    [Fact]
    public void WriteIsolateBatch_RecordBlocked_EqualsNftBatchAfterTheRemoval()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset.Build(ContractPolicies.RecordingExample()).WriteIsolateBatch(batch, 0);
        List<byte[]> ours = Messages.Split(batch.Bytes);

        // nft's batch is BEGIN, NEWTABLE, …; ours starts with the removal (NEWTABLE, DELTABLE) before that NEWTABLE.
        GoldenAssert.MessagesEqual(TestVector.Load("record-blocked").Request, [ours[0], .. ours.Skip(3)]);
    }

    [Fact]
    public void IsolateMessageCount_RecordBlocked_CountsSetsAndElements()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.RecordingExample());
        ruleset.WriteIsolateBatch(batch, 0);

        Assert.Equal(ruleset.IsolateMessageCount, Messages.Split(batch.Bytes).Count);
    }

    [Fact]
    public void Render_NftBatchOfRecordBlocked_EqualsNftListing()
    {
        TestVector vector = TestVector.Load("record-blocked");

        Assert.Equal(vector.Listing, NftSyntaxRenderer.Render(DecodeWithSets(vector.Request)));
    }

    [Fact]
    public void IsEquivalentTo_RecordingRuleWithOtherCounts_IgnoresCounterValuesOnly()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.RecordingExample());
        NftRule logged = ruleset.Rules.First(r => r.Expressions is [CounterExpression, LimitExpression, LogExpression]);
        var counted = new NftRule(logged.Family, logged.Table, logged.Chain, [CounterExpression.StartingAt(7, 420), logged.Expressions[1], logged.Expressions[2]]);
        var regrouped = new NftRule(logged.Family, logged.Table, logged.Chain, [logged.Expressions[0], logged.Expressions[1], LogExpression.ToGroup(1)]);

        Assert.True(logged.IsEquivalentTo(counted));
        Assert.False(logged.IsEquivalentTo(regrouped));
    }

    [Fact]
    public void Render_LedgerWithCountedElements_PrintsThemAsNftDoes()
    {
        // nft 1.0.6's listing of a ledger after known traffic: sorted by key (last byte first), not in the kernel's dump order.
        const string expected = """
            table inet t {
            	set blocked_out_v4 {
            		type ipv4_addr . inet_proto . inet_service
            		size 65536
            		flags dynamic
            		counter
            		elements = { 203.0.113.8 . icmp . 0 counter packets 1 bytes 28,
            			     198.51.100.9 . udp . 53 counter packets 3 bytes 87,
            			     203.0.113.7 . tcp . 443 counter packets 2 bytes 120 }
            	}
            }

            """;
        var ledger = new NftSet(NfProtocolFamily.Inet, "t", "blocked_out_v4", NftSetFlags.Eval, 0x730d, 12, 1, null, [], 65536, CounterExpression.Zero())
        {
            Elements =
            [
                new NftSetElement(Convert.FromHexString("cb0071070600000001bb0000"), statement: CounterExpression.StartingAt(2, 120)),
                new NftSetElement(Convert.FromHexString("c63364091100000000350000"), statement: CounterExpression.StartingAt(3, 87)),
                new NftSetElement(Convert.FromHexString("cb0071080100000000000000"), statement: CounterExpression.StartingAt(1, 28)),
            ],
        };
        var snapshot = new NftTableSnapshot(new NftTable(NfProtocolFamily.Inet, "t"), [], []) { Sets = [ledger] };

        Assert.Equal(expected.Replace("\r\n", "\n", StringComparison.Ordinal), NftSyntaxRenderer.Render(snapshot));
    }

    [Fact]
    public void DescribeDifference_CountersAndLedgerGrew_NoDifference()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.RecordingExample());
        NftTableSnapshot nft = DecodeWithSets(TestVector.Load("record-blocked").Request);
        NftRule[] counted = [.. nft.Rules.Select(r => r.Expressions is [CounterExpression]
            ? new NftRule(r.Family, r.Table, r.Chain, [CounterExpression.StartingAt(12, 3456)]) : r)];
        NftSet ledger = nft.Sets.First(s => s.Name == "blocked_out_v4");
        ledger.Elements = [new NftSetElement(Convert.FromHexString("cb0071070600000001bb0000"), statement: CounterExpression.StartingAt(12, 3456))];

        Assert.Null(ruleset.DescribeDifference(nft with { Rules = counted }, 0));
    }

    [Fact]
    public void DescribeDifference_LedgerDeleted_NamesIt()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.RecordingExample());
        NftTableSnapshot nft = DecodeWithSets(TestVector.Load("record-blocked").Request);

        string? difference = ruleset.DescribeDifference(nft with { Sets = [.. nft.Sets.Where(s => s.Name != "blocked_fwd_v6")] }, 0);

        Assert.Equal("ledger blocked_fwd_v6 is missing", difference);
    }

    /// <summary>The table as <see cref="NfTablesDecoder.DecodeMessages"/> reads a batch: chains, rules and every set with its elements.</summary>
    internal static NftTableSnapshot DecodeWithSets(IReadOnlyList<byte[]> messages)
        => NfTablesDecoder.DecodeMessages(Messages.Concat(messages), NfProtocolFamily.Inet, "aurorasoc");
}
