using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>Output collector rules bound to agent identities: nft's bytes and listing, rule order, the bound.</summary>
public class AgentIdentityRulesetTests
{
    private const ulong CgroupId = 4242;
    private const string CgroupPath = "unified/system.slice/aurorasoc-tv.service";
    private const int CgroupRuleIndex = 16; // in agent-identity.request.hex

    private static readonly AgentIdentity[] VectorIdentities =
    [
        AgentIdentity.Cgroup("system.slice/aurorasoc-tv.service", CgroupId, 2),
        AgentIdentity.User("998", 998),
        AgentIdentity.Group("998", 998),
    ];

    [Fact]
    public void Build_OneCollectorThreeIdentities_EqualsNftTableBlock()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")], agentIdentities: VectorIdentities));
        List<byte[]> expected = [.. TestVector.Load("agent-identity").Request];
        expected[CgroupRuleIndex] = SocketIdentityCodecTests.SubstituteCgroupId(expected[CgroupRuleIndex], CgroupId);

        GoldenAssert.MessagesEqual(expected, GoldenBatchTests.TableBlockMessages(ruleset));
    }

    [Fact]
    public void RenderRule_OneCollectorThreeIdentities_EqualsNftListingLines()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")], agentIdentities: VectorIdentities));
        string[] listing = TestVector.Load("agent-identity").Listing!.Split('\n');

        string[] rendered = [.. ruleset.Rules.Select(r => "\t\t" + NftSyntaxRenderer.RenderRule(r, id => id == CgroupId ? CgroupPath : null))];

        Assert.Equal(listing.Where(l => l.StartsWith("\t\t", StringComparison.Ordinal) && !l.StartsWith("\t\ttype ", StringComparison.Ordinal)), rendered);
    }

    [Fact]
    public void Build_TwoCollectorsTwoIdentitiesAndPeer_CollectorOrderFirstIdentitiesAsGivenPeerUnbound()
    {
        var policy = new IsolationPolicy(
            [Endpoint.Parse("192.0.2.10:6514"), Endpoint.Parse("2001:db8::10")],
            allowedPeers: [Endpoint.Parse("198.51.100.7")],
            agentIdentities: [AgentIdentity.Group("edr", 120), AgentIdentity.Cgroup("system.slice/edr.service", 77, 2)]);

        string[] output = [.. IsolationRuleset.Build(policy).Rules.Where(r => r.Chain == "output").Select(r => NftSyntaxRenderer.RenderRule(r, _ => null))];
        string[] input = [.. IsolationRuleset.Build(policy).Rules.Where(r => r.Chain == "input").Select(r => NftSyntaxRenderer.RenderRule(r, _ => null))];

        Assert.Equal(
            [
                "ip daddr 192.0.2.10 tcp dport 6514 meta skgid 120 accept",
                "ip daddr 192.0.2.10 tcp dport 6514 socket cgroupv2 level 2 77 accept",
                "ip6 daddr 2001:db8::10 meta skgid 120 accept",
                "ip6 daddr 2001:db8::10 socket cgroupv2 level 2 77 accept",
                "ip daddr 198.51.100.7 accept",
            ],
            output.Where(r => r.Contains("daddr", StringComparison.Ordinal)));
        Assert.Equal(["ip saddr 192.0.2.10 tcp sport 6514 accept", "ip6 saddr 2001:db8::10 accept", "ip saddr 198.51.100.7 accept"], input.Where(r => r.Contains("saddr", StringComparison.Ordinal)));
    }

    [Fact]
    public void Build_NoIdentities_SameRulesAsWithoutTheParameter()
    {
        IsolationRuleset plain = IsolationRuleset.Build(new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]));
        IsolationRuleset empty = IsolationRuleset.Build(new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")], agentIdentities: []));

        Assert.Equal(plain.Rules.Count, empty.Rules.Count);
        Assert.All(plain.Rules.Zip(empty.Rules), pair => Assert.True(pair.First.IsEquivalentTo(pair.Second)));
        Assert.Empty(new IsolationPolicy([Endpoint.Parse("192.0.2.10")]).AgentIdentities);
    }

    [Fact]
    public void IsolationPolicy_EightIdentities_Accepted()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")], agentIdentities: Users(8));

        Assert.Equal(8, policy.AgentIdentities.Count);
        Assert.Equal(Users(8), policy.AgentIdentities);
    }

    [Fact]
    public void IsolationPolicy_NineIdentities_PolicyValidationException()
    {
        var error = Assert.Throws<PolicyValidationException>(() => new IsolationPolicy([Endpoint.Parse("192.0.2.10")], agentIdentities: Users(9)));

        Assert.Contains("at most 8", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Cgroup_LevelBelowOne_PolicyValidationException(int level)
        => Assert.Throws<PolicyValidationException>(() => AgentIdentity.Cgroup("system.slice", 5, level));

    [Fact]
    public void Kind_EachFactory_NamedInTheCliWords()
    {
        Assert.Equal(["cgroup", "user", "group"], VectorIdentities.Select(i => i.Kind));
        Assert.Equal("cgroup system.slice/aurorasoc-tv.service (id 4242, level 2)", VectorIdentities[0].ToString());
    }

    [Fact]
    public void User_EmptyValue_PolicyValidationException()
        => Assert.Throws<PolicyValidationException>(() => AgentIdentity.User(string.Empty, 0));

    private static AgentIdentity[] Users(int count) => [.. Enumerable.Range(1000, count).Select(uid => AgentIdentity.User(uid.ToString(System.Globalization.CultureInfo.InvariantCulture), (uint)uid))];
}
