namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class RootNamespaceGuardTests
{
    [Fact]
    public void Capture_TwiceInARow_GivesEqualSnapshotsListingLoopback()
    {
        Requirements.RequireRoot();
        Requirements.RequireIp();

        var first = RootNamespaceSnapshot.Capture();
        var second = RootNamespaceSnapshot.Capture();

        Assert.Equal(first, second);
        Assert.Contains("lo", first.Interfaces.Split('\n'));
        Assert.Contains("lo inet 127.0.0.1/8", first.Addresses, StringComparison.Ordinal);
        first.AssertUnchangedIn(second);
    }

    [Fact]
    public void AssertUnchangedIn_DifferentRuleset_FailsShowingBeforeAndAfter()
    {
        var before = new RootNamespaceSnapshot(string.Empty, "lo", "lo inet 127.0.0.1/8");
        var after = before with { NftRuleset = "table inet aurorasoc {\n}\n" };

        var thrown = Assert.Throws<RootNamespaceChangedException>(() => before.AssertUnchangedIn(after));

        Assert.Contains("nft list ruleset", thrown.Message, StringComparison.Ordinal);
        Assert.Contains("table inet aurorasoc", thrown.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("interfaces before", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AssertUnchangedIn_NewInterface_Fails()
    {
        var before = new RootNamespaceSnapshot(string.Empty, "lo", string.Empty);

        var thrown = Assert.Throws<RootNamespaceChangedException>(() => before.AssertUnchangedIn(before with { Interfaces = "h-lan\nlo" }));

        Assert.Contains("h-lan", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Capture_OnAThreadInsideAThrowawayNamespace_Refuses()
    {
        using var ns = ThrowawayNamespace.Create("snapshot refuses foreign thread");

        Assert.Throws<InvalidOperationException>(() => ns.RunInside(RootNamespaceSnapshot.Capture));
    }
}
