using System.Runtime.Versioning;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation.Intent;

/// <summary>
/// Intent and kernel together in throwaway namespaces with a temporary state directory: a namespace deleted and
/// created again stands in for a reboot (its nf_tables state is gone, the intent file is not).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class DurableIsolationTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-durable-");
    private readonly IntentStore _store;

    public DurableIsolationTests() => _store = new IntentStore(Path.Combine(_root.FullName, "state"));

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Restore_AfterNamespaceRecreated_RecordedButNotInForceThenExactContractTwice()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: reboot");
        using (HostIsolator isolator = HostIsolator.Open(ns.Path))
        {
            new DurableIsolator(isolator, _store).Apply(IsolationIntent.Create(ns.Path, ContractPolicies.Example(), "INC-7"));
        }

        Reboot(ns);
        Assert.Equal(string.Empty, ns.ListRuleset());
        using (HostIsolator isolator = HostIsolator.Open(ns.Path))
        {
            DurableIsolationStatus status = new DurableIsolator(isolator, _store).GetStatus();
            Assert.Equal(IsolationState.NotIsolated, status.Kernel.State);
            Assert.True(status.IsRecordedButNotInForce);
            Assert.Equal("INC-7", status.Intent!.Reason);
        }

        // The reason is the table's comment, and comes back with the table: nft lists it first inside the table.
        string expected = Listings.ContractExample.Replace("table inet aurorasoc {\n", "table inet aurorasoc {\n\tcomment \"INC-7\"\n", StringComparison.Ordinal);
        var restorer = new IsolationRestorer(_store);
        RestoreResult first = Assert.Single(restorer.Restore());
        Assert.Equal(new RestoreResult(ns.Path, "aurorasoc", RestoreOutcome.Restored, null, _store.PathFor(ns.Path, "aurorasoc")), first);
        Assert.Equal(expected, ns.ListTable("inet", "aurorasoc"));

        RestoreResult second = Assert.Single(restorer.Restore());
        Assert.Equal(RestoreOutcome.Restored, second.Outcome);
        Assert.Equal(expected, ns.ListTable("inet", "aurorasoc"));
        Assert.Equal("table inet aurorasoc\n", ns.Nft("list tables"));
        using (HostIsolator isolator = HostIsolator.Open(ns.Path))
        {
            Assert.False(new DurableIsolator(isolator, _store).GetStatus().IsRecordedButNotInForce);
        }
    }

    [Fact]
    public void Restore_OneIntentCorrupt_OnlyThatOneFails()
    {
        Requirements.RequireNft();
        using var healthy = ThrowawayNamespace.Create("intent: healthy");
        using var broken = ThrowawayNamespace.Create("intent: corrupt");
        Isolate(healthy, ContractPolicies.Example());
        Isolate(broken, ContractPolicies.Example());
        string corruptFile = _store.PathFor(broken.Path, "aurorasoc");
        File.WriteAllText(corruptFile, "{\"version\": 1, \"target\": ");
        Reboot(healthy);
        Reboot(broken);

        IReadOnlyList<RestoreResult> results = new IsolationRestorer(_store).Restore();

        Assert.Equal(2, results.Count);
        RestoreResult failed = Assert.Single(results, r => r.Outcome == RestoreOutcome.Failed);
        Assert.Equal(corruptFile, failed.FilePath);
        Assert.Contains(corruptFile, failed.Error, StringComparison.Ordinal);
        RestoreResult restored = Assert.Single(results, r => r.Outcome == RestoreOutcome.Restored);
        Assert.Equal(healthy.Path, restored.Target);
        Assert.Equal(Listings.ContractExample, healthy.ListTable("inet", "aurorasoc"));
        Assert.Equal(string.Empty, broken.ListRuleset());
        Assert.True(File.Exists(corruptFile));
    }

    [Fact]
    public void Restore_NamespaceGone_SkippedAndIntentKept()
    {
        Requirements.RequireNft();
        using var present = ThrowawayNamespace.Create("intent: present");
        string gonePath;
        using (var gone = ThrowawayNamespace.Create("intent: vanishes"))
        {
            gonePath = gone.Path;
            Isolate(gone, ContractPolicies.StrictDnsAny());
        }

        Isolate(present, ContractPolicies.Example());
        Reboot(present);

        IReadOnlyList<RestoreResult> results = new IsolationRestorer(_store).Restore();

        RestoreResult skipped = Assert.Single(results, r => r.Target == gonePath);
        Assert.Equal(RestoreOutcome.SkippedNamespaceGone, skipped.Outcome);
        Assert.NotNull(_store.Read(gonePath, "aurorasoc"));
        Assert.Equal(RestoreOutcome.Restored, Assert.Single(results, r => r.Target == present.Path).Outcome);
        Assert.Equal(Listings.ContractExample, present.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void Restore_ProcTargetWhoseProcessExited_SkippedAndIntentKept()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: process target");
        string target;
        using (BackgroundProcess resident = Resident(ns))
        {
            target = $"/proc/{resident.Id}/ns/net";
            using HostIsolator isolator = HostIsolator.Open(target);
            new DurableIsolator(isolator, _store).Isolate(ContractPolicies.Example());
            Assert.NotNull(_store.Read(target, "aurorasoc")!.Namespace);
        }

        RestoreResult result = Assert.Single(new IsolationRestorer(_store).Restore());

        Assert.Equal(RestoreOutcome.SkippedNamespaceGone, result.Outcome);
        Assert.NotNull(_store.Read(target, "aurorasoc"));
    }

    [Fact]
    public void Restore_ProcTargetNowNamingAnotherNamespace_SkippedAndNothingApplied()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: reused pid");
        using BackgroundProcess resident = Resident(ns);
        string target = $"/proc/{resident.Id}/ns/net";

        // As after a reboot: the pid exists, but the intent was recorded for a namespace of another boot.
        IsolationIntent recorded = IsolationIntent.Create(target, ContractPolicies.Example());
        _store.Record(recorded with { Namespace = recorded.Namespace! with { BootId = "another-boot" } });

        RestoreResult result = Assert.Single(new IsolationRestorer(_store).Restore());

        Assert.Equal(RestoreOutcome.SkippedNamespaceGone, result.Outcome);
        Assert.Contains("another namespace", result.Error, StringComparison.Ordinal);
        Assert.Equal(string.Empty, ns.ListRuleset());
    }

    [Fact]
    public void Restore_ProcTargetOfALiveProcess_Restored()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: live process target");
        using BackgroundProcess resident = Resident(ns);
        string target = $"/proc/{resident.Id}/ns/net";
        _store.Record(IsolationIntent.Create(target, ContractPolicies.Example()));

        RestoreResult result = Assert.Single(new IsolationRestorer(_store).Restore());

        Assert.Equal(RestoreOutcome.Restored, result.Outcome);
        Assert.Equal(Listings.ContractExample, ns.ListTable("inet", "aurorasoc"));
    }

    [Fact]
    public void Restore_NothingRecorded_NoResults()
    {
        Assert.Empty(new IsolationRestorer(_store).Restore());
    }

    [Fact]
    public void Unisolate_Recorded_TableAndIntentGone()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: unisolate forgets");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        var durable = new DurableIsolator(isolator, _store);
        durable.Isolate(ContractPolicies.Example());
        Assert.NotNull(_store.Read(ns.Path, "aurorasoc"));

        bool wasPresent = durable.Unisolate();

        Assert.True(wasPresent);
        Assert.Equal(string.Empty, ns.ListRuleset());
        Assert.Null(_store.Read(ns.Path, "aurorasoc"));
        Assert.Empty(_store.ReadAll());
        Assert.Empty(new IsolationRestorer(_store).Restore());
    }

    [Fact]
    public void Unisolate_NotIsolated_ReportsNothingWasPresent()
    {
        using var ns = ThrowawayNamespace.Create("intent: unisolate of nothing");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        Assert.False(new DurableIsolator(isolator, _store).Unisolate());
        Assert.False(new DurableIsolator(isolator, store: null).Unisolate());
        Assert.Empty(_store.ReadAll());
    }

    [Fact]
    public void Isolate_WithoutStore_RecordsNothing()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: ephemeral");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        var ephemeral = new DurableIsolator(isolator, store: null);

        ephemeral.Isolate(ContractPolicies.Example());

        Assert.Equal(Listings.ContractExample, ns.ListTable("inet", "aurorasoc"));
        Assert.False(Directory.Exists(_store.Directory));
        DurableIsolationStatus status = ephemeral.GetStatus();
        Assert.Equal(IsolationState.Isolated, status.Kernel.State);
        Assert.Null(status.Intent);
    }

    [Fact]
    public void Isolate_CommitRefused_PreviousIntentPutBackByteForByte()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: failed commit");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        var durable = new DurableIsolator(isolator, _store);
        durable.Apply(IsolationIntent.Create(ns.Path, ContractPolicies.Example(), "first"));
        byte[] recorded = File.ReadAllBytes(_store.PathFor(ns.Path, "aurorasoc"));
        isolator.Unisolate();

        // A table owned by another socket (NFT_TABLE_F_OWNER) refuses every other socket's change with EPERM.
        using NfTablesConnection owner = OwnTable(ns, "aurorasoc");
        IsolationException exception = Assert.Throws<IsolationException>(() => durable.Apply(IsolationIntent.Create(ns.Path, ContractPolicies.StrictDnsAny(), "second")));

        Assert.Equal(Errno.EPERM, exception.Errno);
        Assert.Equal(recorded, File.ReadAllBytes(_store.PathFor(ns.Path, "aurorasoc")));
        Assert.Equal("first", _store.Read(ns.Path, "aurorasoc")!.Reason);
    }

    [Fact]
    public void Isolate_CommitRefusedWithNothingRecorded_NoIntentLeft()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: failed first commit");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        using NfTablesConnection owner = OwnTable(ns, "aurorasoc");

        Assert.Throws<IsolationException>(() => new DurableIsolator(isolator, _store).Isolate(ContractPolicies.Example()));

        Assert.Null(_store.Read(ns.Path, "aurorasoc"));
        Assert.Empty(Directory.GetFiles(_store.Directory, "*.json"));
    }

    [Fact]
    public void Unisolate_CommitRefused_IntentKept()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: failed unisolate");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        var durable = new DurableIsolator(isolator, _store);
        durable.Isolate(ContractPolicies.Example());
        isolator.Unisolate();
        using NfTablesConnection owner = OwnTable(ns, "aurorasoc");

        Assert.Throws<IsolationException>(() => durable.Unisolate());

        Assert.NotNull(_store.Read(ns.Path, "aurorasoc"));
    }

    /// <summary>A <c>sleep</c> running inside <paramref name="ns"/>, so that <c>/proc/PID/ns/net</c> names it.</summary>
    private static BackgroundProcess Resident(ThrowawayNamespace ns)
    {
        // `ip netns exec` enters the namespace and execs the command in the same process, so the pid is sleep's.
        BackgroundProcess process = ProcessRunner.StartBackground("ip", "netns", "exec", ns.Name, "sleep", "300");
        for (int i = 0; i < 200 && NamespaceIdentity.Of($"/proc/{process.Id}/ns/net")?.Inode != ns.Inode; i++)
        {
            Thread.Sleep(10);
        }

        Assert.Equal(ns.Inode, NamespaceIdentity.Of($"/proc/{process.Id}/ns/net")?.Inode);
        return process;
    }

    private void Isolate(ThrowawayNamespace ns, IsolationPolicy policy)
    {
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        new DurableIsolator(isolator, _store).Isolate(policy);
    }

    /// <summary>What a reboot does to a namespace's firewall: the namespace is deleted and a new one takes its path.</summary>
    private static void Reboot(ThrowawayNamespace ns)
    {
        ThrowawayNamespace.DeleteNamed(ns.Name);
        ThrowawayNamespace.AddNamed([ns.Name]).EnsureSuccess();
        ns.Ip("link", "set", "lo", "up");
    }

    /// <summary>Creates <c>table inet NAME</c> owned by a new socket in <paramref name="ns"/>; the table lives as long as the returned connection.</summary>
    private static NfTablesConnection OwnTable(ThrowawayNamespace ns, string name)
    {
        const uint NFT_TABLE_F_OWNER = 0x2; // <linux/netfilter/nf_tables.h>, kernel 5.12
        NfTablesConnection owner = NfTablesConnection.Open(ns.Path);
        using var batch = new NfTablesBatch();
        batch.Begin(owner.ReserveSequences(3));
        batch.AddTable(new NftTable(NfProtocolFamily.Inet, name, NFT_TABLE_F_OWNER));
        batch.End();
        owner.Commit(batch);
        return owner;
    }
}
