using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// The guard owning its table (OWNER|PERSIST; this kernel has PERSIST): root's nft cannot change or delete it, and
/// `nft flush ruleset` leaves it. nft is the attacker and the oracle.
/// </summary>
public sealed class GuardOwnerModeTests
{
    public static TheoryData<string> Attacks { get; } =
    [
        "delete table inet aurorasoc",
        "add rule inet aurorasoc input accept",
        "delete chain inet aurorasoc input",
        "chain inet aurorasoc input { policy accept ; }",
    ];

    [Fact]
    public void Start_RecordedIntent_TableOwnedAndListedAsTheContractWithOwner()
    {
        using GuardSite site = GuardSite.Create("guard: owned at start");
        site.RecordContractIntent();

        IsolationGuard guard = site.StartGuard();

        Assert.Equal(TablePersistence.Supported, guard.Persistence);
        Assert.True(guard.OwnsTables);
        RestoreResult outcome = Assert.Single(guard.StartOutcomes);
        Assert.True(outcome.Outcome == RestoreOutcome.Restored, $"{outcome.Outcome}: {outcome.Error}\n{site.Log}");
        Assert.Equal(GuardSite.OwnedListing(GuardSite.ThisProgram), site.ListTable());
    }

    [Theory]
    [MemberData(nameof(Attacks))]
    public void NftChange_OwnedTable_RefusedWithEpermAndTableIsTheContract(string attack)
    {
        using GuardSite site = GuardSite.Create("guard: owner refuses " + attack);
        site.RecordContractIntent();
        site.StartGuard();

        ProcessResult result = site.Namespace.NftTry(attack);

        Assert.False(result.Succeeded, $"nft {attack} succeeded on an owned table");
        Assert.Contains("Operation not permitted", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(GuardSite.OwnedListing(GuardSite.ThisProgram), site.ListTable());
    }

    [Fact]
    public void NftFlushRuleset_OwnedTable_SucceedsAndLeavesTheTable()
    {
        using GuardSite site = GuardSite.Create("guard: flush ruleset");
        site.RecordContractIntent();
        site.StartGuard();
        site.Namespace.Nft("add table inet other");

        site.Namespace.Nft("flush ruleset");

        Assert.Equal(GuardSite.OwnedListing(GuardSite.ThisProgram), site.Namespace.ListRuleset());
    }

    [Fact]
    public void Dispose_OwnedTable_StaysAsPersistOrphanThatNftListsWithEmptyFlags()
    {
        using GuardSite site = GuardSite.Create("guard: stop leaves an orphan");
        site.RecordContractIntent();
        site.StartGuard();

        site.StopGuard();

        // nft 1.0.6 has no name for PERSIST: an orphan prints "flags " alone (guard.md), then the contract's chains.
        string orphan = GuardSite.OwnedListing(GuardSite.ThisProgram).Replace($" # progname {GuardSite.ThisProgram}", string.Empty, StringComparison.Ordinal)
            .Replace("\tflags owner\n", "\tflags \n", StringComparison.Ordinal);
        Assert.Equal(orphan, site.ListTable());
    }

    [Fact]
    public void Start_OrphanLeftByEarlierGuard_AdoptsItAndRefusesDeletionAgain()
    {
        using GuardSite site = GuardSite.Create("guard: adopt orphan");
        site.RecordContractIntent();
        site.StartGuard();
        site.StopGuard();

        site.StartGuard();

        Assert.Equal(GuardSite.OwnedListing(GuardSite.ThisProgram), site.ListTable());
        Assert.False(site.Namespace.NftTry("delete table inet aurorasoc").Succeeded);
    }

    [Fact]
    public void Start_ExistingUnownedTable_SwappedForTheOwnedOneInOneTransaction()
    {
        using GuardSite site = GuardSite.Create("guard: swap unowned");
        IsolationIntent intent = site.RecordContractIntent();
        using (HostIsolator isolator = HostIsolator.Open(site.Namespace.Path))
        {
            isolator.Isolate(intent.Policy);
        }

        uint before = Generation(site);
        site.StartGuard();

        Assert.Equal(GuardSite.OwnedListing(GuardSite.ThisProgram), site.ListTable());
        Assert.Equal(before + 1, Generation(site)); // the swap was a single commit: never a moment without the table
    }

    [Fact]
    public void Handoff_IsolateAndUnisolateThroughClient_OwnedThenGoneAndIntentForgotten()
    {
        using GuardSite site = GuardSite.Create("guard: hand-over");
        site.StartGuard();
        IsolationIntent intent = IsolationIntent.Create(site.Namespace.Path, ContractPolicies.Example());

        using (GuardClient client = GuardClient.TryConnect(site.StateDirectory) ?? throw new InvalidOperationException("no guard answered"))
        {
            IsolationResult result = client.Isolate(intent, IsolateOptions.Default, callerNamespace: false);
            Assert.Equal(GuardSite.ContractRuleCount, result.RuleCount);
        }

        Assert.Equal(GuardSite.OwnedListing(GuardSite.ThisProgram), site.ListTable());
        Assert.NotNull(site.Store.Read(intent.Target, intent.Table));

        using (GuardClient client = GuardClient.TryConnect(site.StateDirectory)!)
        {
            client.Unisolate(intent.Target, intent.Table, callerNamespace: false);
        }

        Assert.Null(site.ListTable());
        Assert.Null(site.Store.Read(intent.Target, intent.Table));
    }

    [Fact]
    public void TryConnect_NoGuard_ReturnsNull()
    {
        using GuardSite site = GuardSite.Create("guard: none serving");
        site.StartGuard();
        site.StopGuard();

        Assert.Null(GuardClient.TryConnect(site.StateDirectory));
    }

    private static uint Generation(GuardSite site)
    {
        using HostIsolator observer = HostIsolator.Open(site.Namespace.Path);
        return observer.GetStatus().Generation;
    }
}
