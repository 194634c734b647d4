using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>HostIsolator against a live kernel, one throwaway namespace per test, nft as the oracle.</summary>
public sealed class HostIsolatorTests
{
    private static readonly string ContractExampleListing = File.ReadAllText(Path.Combine(RepositoryPaths.TestVectors, "contract-example.listing.txt"));

    [Fact]
    public void Isolate_ContractExample_NftListsTheContractText()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("isolate contract example");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        IsolationResult result = isolator.Isolate(ContractPolicies.Example());

        Assert.Equal(ContractExampleListing, ns.ListTable("inet", "aurorasoc"));
        Assert.Equal(23, result.RuleCount);
        Assert.True(isolator.IsIsolated());
    }

    [Fact]
    public void GetStatus_AfterIsolate_RendersExactlyAsNft()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("status render");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(ContractPolicies.Example());

        IsolationStatus status = isolator.GetStatus();

        Assert.Equal(IsolationState.Isolated, status.State);
        Assert.Equal(ns.ListTable("inet", "aurorasoc"), NftSyntaxRenderer.Render(status.Table!));
    }

    [Fact]
    public void Unisolate_AfterIsolate_TableGone()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("unisolate");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(ContractPolicies.Example());

        isolator.Unisolate();

        Assert.False(isolator.IsIsolated());
        Assert.Equal(string.Empty, ns.ListRuleset());
        Assert.Equal(IsolationState.NotIsolated, isolator.GetStatus().State);
    }
}
