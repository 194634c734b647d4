using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.OperatorOptions;

/// <summary>The reason on the table against a live kernel, nft as the oracle.</summary>
public sealed class ReasonTests
{
    [Fact]
    public void Isolate_WithReason_NftListsCommentAndStatusReportsIt()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("reason round trip");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        isolator.Isolate(Policy("INC-4711 isolated by soc@example.com (Müller) ✓"));

        string listing = ns.ListTable("inet", "aurorasoc");
        Assert.StartsWith("table inet aurorasoc {\n\tcomment \"INC-4711 isolated by soc@example.com (Müller) ✓\"\n\tchain input {\n", listing, StringComparison.Ordinal);
        IsolationStatus status = isolator.GetStatus();
        Assert.Equal("INC-4711 isolated by soc@example.com (Müller) ✓", status.Reason);
        Assert.Equal(listing, NftSyntaxRenderer.Render(status.Table!));
    }

    [Fact]
    public void Isolate_ReasonChangedThenDropped_TableFollowsEachTime()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("reason replaced");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        isolator.Isolate(Policy("first"));
        isolator.Isolate(Policy("second"));
        Assert.Equal("second", isolator.GetStatus().Reason);
        Assert.Contains("\tcomment \"second\"\n", ns.ListTable("inet", "aurorasoc"), StringComparison.Ordinal);

        isolator.Isolate(Policy(null));
        Assert.Null(isolator.GetStatus().Reason);
        Assert.DoesNotContain("comment", ns.ListTable("inet", "aurorasoc"), StringComparison.Ordinal);
    }

    [Fact]
    public void GetStatus_CommentWrittenByNft_ReadAsReason()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("reason from nft");
        ns.ApplyNftRuleset("table inet aurorasoc {\n\tcomment \"set by nft\"\n\tchain input {\n\t\ttype filter hook input priority filter; policy drop;\n\t}\n}\n");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        IsolationStatus status = isolator.GetStatus();

        Assert.Equal("set by nft", status.Reason);
        Assert.Equal(ns.ListTable("inet", "aurorasoc"), NftSyntaxRenderer.Render(status.Table!));
    }

    [Fact]
    public void Render_ForeignTableWithFlagsAndChainAndRuleComments_EqualsNft()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("comments everywhere");
        ns.ApplyNftRuleset(
            "table inet aurorasoc {\n\tflags dormant\n\tcomment \"why\"\n\tchain input {\n\t\tcomment \"chain note\"\n\t\ttype filter hook input priority filter; policy drop;\n"
            + "\t\tip saddr 192.0.2.10 accept comment \"rule note\"\n\t}\n\n\tchain side {\n\t\tcomment \"regular\"\n\t}\n}\n");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        Assert.Equal(ns.ListTable("inet", "aurorasoc"), NftSyntaxRenderer.Render(isolator.GetStatus().Table!));
    }

    private static IsolationPolicy Policy(string? reason) => new([Endpoint.Parse("192.0.2.10:6514")], reason: reason);
}
