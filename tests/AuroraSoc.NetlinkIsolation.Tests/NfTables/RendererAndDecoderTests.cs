using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

public class RendererAndDecoderTests
{
    [Fact]
    public void Render_KernelDumpOfContractExample_EqualsNftListing()
    {
        TestVector vector = TestVector.Load("list-table");
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(Messages.Concat(vector.Reply), NfProtocolFamily.Inet, "aurorasoc");

        Assert.Equal(vector.Listing, NftSyntaxRenderer.Render(snapshot));
    }

    [Theory]
    [InlineData("contract-example")]
    [InlineData("strict-variant")]
    [InlineData("strict-dns-any")]
    [InlineData("reason-comment")]
    public void Render_RulesetOfPolicy_EqualsNftListingOfSameText(string vector)
    {
        IsolationPolicy policy = vector switch
        {
            "contract-example" => ContractPolicies.Example(),
            "strict-variant" => ContractPolicies.StrictVariant(),
            "reason-comment" => TableCommentTests.ReasonPolicy(),
            _ => ContractPolicies.StrictDnsAny(),
        };
        IsolationRuleset ruleset = IsolationRuleset.Build(policy);

        string rendered = NftSyntaxRenderer.Render(new NftTableSnapshot(ruleset.Table, ruleset.Chains, ruleset.Rules));

        Assert.Equal(TestVector.Load(vector).Listing, rendered);
    }

    [Fact]
    public void DecodeRule_KernelDump_EquivalentToOurEncodedRules()
    {
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(Messages.Concat(TestVector.Load("list-table").Reply), NfProtocolFamily.Inet, "aurorasoc");
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.Example());

        Assert.Equal(ruleset.Rules.Count, snapshot.Rules.Count);
        for (int i = 0; i < ruleset.Rules.Count; i++)
        {
            Assert.True(ruleset.Rules[i].IsEquivalentTo(snapshot.Rules[i]), $"rule {i}: {NftSyntaxRenderer.RenderRule(ruleset.Rules[i])} vs {NftSyntaxRenderer.RenderRule(snapshot.Rules[i])}");
        }

        Assert.Equal(["input", "output", "forward"], snapshot.Chains.Select(c => c.Name));
        Assert.All(snapshot.Chains, c => Assert.Equal(NfVerdict.Drop, c.Policy));
    }

    [Fact]
    public void DecodeMessages_OurOwnBatch_RoundTripsEveryExpressionExactly()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.StrictVariant());
        using var batch = new NfTablesBatch();
        ruleset.WriteIsolateBatch(batch, 1);

        NftTableSnapshot decoded = NfTablesDecoder.DecodeMessages(batch.Bytes, NfProtocolFamily.Inet, "custom_tbl-1");

        Assert.Equal(ruleset.Rules.Count, decoded.Rules.Count);
        for (int i = 0; i < ruleset.Rules.Count; i++)
        {
            Assert.Equal(ruleset.Rules[i].Expressions, decoded.Rules[i].Expressions);
        }
    }

    [Fact]
    public void DecodeElement_UnknownExpression_KeptOpaqueAndReencodedIdentically()
    {
        var rule = new NftRule(NfProtocolFamily.Inet, "t", "c", [new OpaqueExpression("quota", Convert.FromHexString("0C0001000000000000000005"))]);
        using var batch = new NfTablesBatch();
        batch.Begin(1);
        batch.AddRule(rule);
        batch.End();

        var reader = new AuroraSoc.NetlinkIsolation.Netlink.NetlinkMessageReader(batch.Bytes);
        reader.Read();
        reader.Read();
        NftRule roundTripped = NfTablesDecoder.DecodeRule(reader.Current);

        NftExpression expression = Assert.Single(roundTripped.Expressions);
        var opaque = Assert.IsType<OpaqueExpression>(expression);
        Assert.Equal("quota", opaque.Name);
        Assert.Equal("0C0001000000000000000005", Convert.ToHexString(opaque.Data));
        Assert.StartsWith("# ", NftSyntaxRenderer.RenderRule(roundTripped), StringComparison.Ordinal);
    }
}
