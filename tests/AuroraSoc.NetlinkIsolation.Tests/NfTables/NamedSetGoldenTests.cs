using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>
/// Named sets against nft 1.0.6: NEWSET, NEWSETELEM (interval ends, concatenations with KEY_END), lookups, and the
/// listing (tests/TestVectors/named-sets-v4 and named-sets-v6, captured by capture.sh).
/// </summary>
public class NamedSetGoldenTests
{
    // The policies the two vectors are: one collector as a rule, the peers of an allowlist in named sets.
    internal const string V4Peers = """
        # plain IPv4: an address, prefixes, a range that is no prefix, a prefix that runs to the last address
        10.0.0.1
        10.1.0.0/16
        10.2.0.5-10.2.0.9
        198.51.100.0/24
        240.0.0.0/4
        # with ports: a range that is exactly a prefix prints as the prefix
        203.0.113.7:443
        10.3.0.0/16:22
        10.4.0.0-10.4.1.255:8443
        10.5.0.1-10.5.0.3:80
        """;

    internal const string V6Peers = """
        2001:db8::1
        2001:db8:1::/48
        2001:db8:0:1::5-2001:db8:0:1::9
        fe80::/10
        64:ff9b::/96
        [2001:db8::20]:6514
        [2001:db8:5::/64]:443
        [2001:db8:6::1-2001:db8:6::ff]:22
        """;

    internal static IsolationPolicy VectorPolicy(string vector) => vector == "named-sets-v4"
        ? new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]).WithAllowedPeersFrom(new StringReader(V4Peers), "v4.list")
        : new IsolationPolicy([Endpoint.Parse("[2001:db8::10]:443")]).WithAllowedPeersFrom(new StringReader(V6Peers), "v6.list");

    [Theory]
    [InlineData("named-sets-v4")]
    [InlineData("named-sets-v6")]
    public void Build_AllowlistPolicy_EqualsNftTableBlock(string vector)
    {
        GoldenAssert.MessagesEqual(TestVector.Load(vector).Request, GoldenBatchTests.TableBlockMessages(IsolationRuleset.Build(VectorPolicy(vector))));
    }

    [Theory]
    [InlineData("named-sets-v4")]
    [InlineData("named-sets-v6")]
    public void Render_NftsOwnBatchDecoded_EqualsNftListing(string vector)
    {
        TestVector loaded = TestVector.Load(vector);
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(Messages.Concat(loaded.Request), NfProtocolFamily.Inet, "aurorasoc");

        Assert.Equal(loaded.Listing, NftSyntaxRenderer.Render(snapshot));
    }

    [Theory]
    [InlineData("named-sets-v4")]
    [InlineData("named-sets-v6")]
    public void Render_OurRulesetDecodedFromOurBatch_EqualsNftListing(string vector)
    {
        List<byte[]> ours = GoldenBatchTests.TableBlockMessages(IsolationRuleset.Build(VectorPolicy(vector)));
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(Messages.Concat(ours), NfProtocolFamily.Inet, "aurorasoc");

        Assert.Equal(TestVector.Load(vector).Listing, NftSyntaxRenderer.Render(snapshot));
    }

    [Fact]
    public void AddSetElements_ListLimitReached_SplitsIntoMessagesOfOneBatchKeepingEveryElement()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(VectorPolicy("named-sets-v6"));
        NftSet set = ruleset.Sets[0];
        using var batch = new NfTablesBatch();
        batch.Begin(0);
        int messages = batch.AddSetElements(set, set.Elements, maxListBytes: 64);
        batch.End();

        List<NftSetElement> decoded = [];
        foreach (byte[] message in Messages.Split(batch.Bytes)[1..^1])
        {
            var reader = new AuroraSoc.NetlinkIsolation.Netlink.NetlinkMessageReader(message);
            Assert.True(reader.Read());
            decoded.AddRange(NfTablesDecoder.DecodeSetElements(reader.Current).Elements);
        }

        Assert.True(messages > 1);
        Assert.Equal(messages + 2, batch.MessageCount);
        Assert.Equal(set.Elements.Select(e => Convert.ToHexString(e.Key!)), decoded.Select(e => Convert.ToHexString(e.Key!)));
    }

    [Fact]
    public void AddSetElements_HundredThousandIPv6Ranges_EveryElementListFitsSixteenBits()
    {
        var lines = Enumerable.Range(0, 100_000).Select(i => $"[2001:db8:{i / 32768:x}:{i % 32768 * 2:x}::/64]:443");
        IsolationPolicy policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")]).WithAllowedPeersFrom(new StringReader(string.Join('\n', lines)), "big");
        IsolationRuleset ruleset = IsolationRuleset.Build(policy);
        using var batch = new NfTablesBatch();
        ruleset.WriteIsolateBatch(batch, 1);

        List<byte[]> messages = Messages.Split(batch.Bytes);
        Assert.Equal(ruleset.IsolateMessageCount, messages.Count);
        Assert.True(messages.Count(m => m[4] == 12 && m[5] == 10) > 1); // several NFT_MSG_NEWSETELEM
        Assert.All(messages, m => Assert.True(m.Length < 70_000));
        Assert.Equal(100_000, policy.PeerCount);
    }
}
