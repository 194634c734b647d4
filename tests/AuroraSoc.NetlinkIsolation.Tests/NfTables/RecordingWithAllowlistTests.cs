using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>--record-blocked and a large allowlist in one batch: both kinds of set through the one set codec.</summary>
public class RecordingWithAllowlistTests
{
    private static IsolationPolicy Policy()
        => new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]) { RecordBlocked = true }
            .WithAllowedPeersFrom(new StringReader("10.0.0.0/24\n10.0.2.1-10.0.2.9\n10.0.3.1:443\n2001:db8::/64\n[2001:db8:1::1]:22\n"), "list");

    [Fact]
    public void WriteIsolateBatch_RecordBlockedWithAllowlist_EverySetIdOnceAndEachLookupFindsItsSet()
    {
        IsolationPolicy policy = Policy();
        using var batch = new NfTablesBatch();
        IsolationRuleset.Build(policy).WriteIsolateBatch(batch, 0);

        NftTableSnapshot written = NfTablesDecoder.DecodeMessages(batch.Bytes, NfProtocolFamily.Inet, policy.TableName);

        Assert.True(policy.RecordBlocked);
        Assert.Contains(written.Sets, s => s.IsInterval);
        Assert.Contains(written.Sets, s => s.ElementStatement is CounterExpression);
        Assert.Equal(written.Sets.Count, written.Sets.Select(s => s.Id).Distinct().Count());
        foreach (LookupExpression lookup in written.Rules.SelectMany(r => r.Expressions).OfType<LookupExpression>())
        {
            // Within one batch a set is found by its id: the allowlist's lookups must not reach a ledger.
            NftSet target = Assert.Single(written.Sets, s => s.Id == lookup.SetId);
            Assert.Equal(lookup.SetName, target.Name);
        }

        foreach (DynsetExpression update in written.Rules.SelectMany(r => r.Expressions).OfType<DynsetExpression>())
        {
            NftSet ledger = Assert.Single(written.Sets, s => s.Id == update.SetId);
            Assert.Equal(update.SetName, ledger.Name);
            Assert.StartsWith("blocked_", ledger.Name, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void IsolateMessageCount_RecordBlockedWithAllowlist_CountsBothKindsOfSet()
    {
        using var batch = new NfTablesBatch();
        IsolationRuleset ruleset = IsolationRuleset.Build(Policy());
        ruleset.WriteIsolateBatch(batch, 0);

        Assert.Equal(ruleset.IsolateMessageCount, Messages.Split(batch.Bytes).Count);
    }
}
