using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Logging;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// The guard watching instead of owning (--monitor-only): nft's changes go through and are reverted by one re-commit,
/// each reported as one warning naming the change and nft as the process. Also: lost events (ENOBUFS) still end with the
/// table back.
/// </summary>
public sealed class GuardMonitorModeTests
{
    private const int TamperReverted = 110;
    private const int EventsLost = 112;

    [Theory]
    [InlineData("delete table inet aurorasoc", "table deleted")]
    [InlineData("add rule inet aurorasoc input accept", "rule added to chain input")]
    [InlineData("flush chain inet aurorasoc output", "rule deleted from chain output")]
    [InlineData("chain inet aurorasoc input { policy accept ; }", "chain input added or changed (policy accept)")]
    [InlineData("flush ruleset", "table deleted")]
    public void NftChange_WatchedTable_RevertedAndReportedOnce(string attack, string change)
    {
        using GuardSite site = GuardSite.Create("guard monitor: " + attack);
        site.RecordContractIntent();
        site.StartGuard(monitorOnly: true);
        Assert.Equal(GuardSite.ContractListing, site.ListTable());

        site.Namespace.Nft(attack);

        Assert.Equal(GuardSite.ContractListing, site.WaitForListing(GuardSite.ContractListing));
        Assert.True(GuardSite.WaitUntil(() => site.Log.WithId(TamperReverted).Count > 0), site.Log.ToString());
        LoggedEvent warning = Assert.Single(site.Log.WithId(TamperReverted));
        Assert.Contains(change, (string)warning.Fields["Changes"]!, StringComparison.Ordinal);
        Assert.Equal("nft", warning.Fields["ProcessName"]);
    }

    [Fact]
    public void NftDeleteChain_WatchedTable_Reverted()
    {
        using GuardSite site = GuardSite.Create("guard monitor: delete chain");
        site.RecordContractIntent();
        site.StartGuard(monitorOnly: true);

        // A base chain with rules cannot be deleted alone (EBUSY); flushing it first in the same transaction can.
        site.Namespace.ApplyNftRuleset("flush chain inet aurorasoc forward\ndelete chain inet aurorasoc forward\n");

        Assert.Equal(GuardSite.ContractListing, site.WaitForListing(GuardSite.ContractListing));
        Assert.Contains("chain forward deleted", (string)Assert.Single(site.Log.WithId(TamperReverted)).Fields["Changes"]!, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnCommits_HandedOverIsolate_NeverReportedAsTamper()
    {
        using GuardSite site = GuardSite.Create("guard monitor: own commits");
        site.StartGuard(monitorOnly: true);
        IsolationIntent intent = IsolationIntent.Create(site.Namespace.Path, ContractPolicies.Example());
        for (int i = 0; i < 5; i++)
        {
            using GuardClient client = GuardClient.TryConnect(site.StateDirectory)!;
            client.Isolate(intent with { IsolatedAt = DateTimeOffset.UtcNow }, IsolateOptions.Default, callerNamespace: false);
        }

        site.Guard!.VerifyNow();

        Assert.Equal(GuardSite.ContractListing, site.ListTable());
        Assert.Empty(site.Log.WithId(TamperReverted));
        Assert.Empty(site.Log.WithId(111));
    }

    [Fact]
    public void EventsLost_FloodOfForeignCommitsWithATamperInside_TableRestored()
    {
        using GuardSite site = GuardSite.Create("guard monitor: ENOBUFS");
        site.RecordContractIntent();

        // The smallest receive buffer the kernel allows: a burst of a few hundred events overflows it.
        site.StartGuard(monitorOnly: true, monitorReceiveBufferBytes: 1);
        using NfTablesConnection attacker = NfTablesConnection.Open(site.Namespace.Path);
        using var batch = new NfTablesBatch();
        for (int round = 0; round < 20 && site.Log.WithId(EventsLost).Count == 0; round++)
        {
            // One transaction: 200 tables created in another name, ours deleted among them, the 200 deleted again.
            const int tables = 200;
            batch.Begin(attacker.ReserveSequences(2 * tables + 3));
            for (int i = 0; i < tables; i++)
            {
                batch.AddTable(new NftTable(NfProtocolFamily.Inet, $"flood{i}"));
            }

            batch.DeleteTable(NfProtocolFamily.Inet, "aurorasoc");
            for (int i = 0; i < tables; i++)
            {
                batch.DeleteTable(NfProtocolFamily.Inet, $"flood{i}");
            }

            batch.End();
            attacker.Commit(batch);
            Assert.Equal(GuardSite.ContractListing, site.WaitForListing(GuardSite.ContractListing));
        }

        Assert.NotEmpty(site.Log.WithId(EventsLost));
        Assert.Equal(GuardSite.ContractListing, site.WaitForListing(GuardSite.ContractListing));
    }

    [Fact]
    public void PeriodicPass_IntentRecordedWithoutHandOver_AppliedAndWatched()
    {
        using GuardSite site = GuardSite.Create("guard: periodic pass finds a new intent");
        site.StartGuard(monitorOnly: true, verifyInterval: TimeSpan.FromMilliseconds(200));

        site.RecordContractIntent();

        Assert.Equal(GuardSite.ContractListing, site.WaitForListing(GuardSite.ContractListing));
        Assert.Contains(site.Namespace.Path, site.Guard!.WatchedTargets);
    }

    [Fact]
    public void NamespaceDeleted_WatchedTarget_NoLongerWatchedAndIntentKept()
    {
        using GuardSite site = GuardSite.Create("guard: namespace disappears");
        using ThrowawayNamespace doomed = ThrowawayNamespace.Create("guard: the namespace that disappears");
        IsolationIntent intent = site.RecordContractIntent(doomed);
        site.StartGuard();
        Assert.Contains(doomed.Path, site.Guard!.WatchedTargets);

        doomed.Dispose();

        Assert.True(GuardSite.WaitUntil(() => !site.Guard.WatchedTargets.Contains(doomed.Path)), site.Log.ToString());
        Assert.NotNull(site.Store.Read(intent.Target, intent.Table));
        Assert.NotEmpty(site.Log.WithId(125));
    }
}
