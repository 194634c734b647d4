using System.Diagnostics;
using System.Runtime.Versioning;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Logging;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Isolation.Intent;
using AuroraSoc.NetlinkIsolation.Tests.Reliability;

namespace AuroraSoc.NetlinkIsolation.Tests.Guard;

/// <summary>
/// The guard's decisions — what it re-asserts, when, and what it reports — on the fake kernel, without root: the
/// reconciler commits through a <see cref="HostIsolator"/> over <see cref="FakeNfTablesKernel"/>, reads intents from a
/// temporary state directory and reports through a recording logger. Every policy here is keep mode, so no isolate
/// ever reaches for this machine's connections (strict mode cuts them).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class GuardReconcilerTests : IDisposable
{
    private const uint IntruderPort = 0x9999;
    private const int Tamper = 110;
    private const int Drift = 111;
    private const int ReassertFailed = 113;
    private const int Guarding = 120;
    private const int NamespaceMissing = 121;
    private const int IntentFailed = 122;
    private const int IntentUnreadable = 123;
    private const int Unguarded = 124;
    private const int NamespaceGone = 125;

    /// <summary>
    /// The namespace the intents name: this process's own, by a path that exists for any user. Not <c>host</c>, which
    /// means PID 1's namespace: a test run elsewhere (a container) would find every host intent gone.
    /// </summary>
    private const string Target = "/proc/self/ns/net";

    private readonly TemporaryStateDirectory _state = new();
    private readonly IntentStore _store;
    private readonly Rig _rig = new();
    private readonly RecordingLogger _log = new();
    private readonly Dictionary<string, GuardedNamespace> _opened = new(StringComparer.Ordinal);
    private readonly GuardReconciler _reconciler;
    private int _opens;

    public GuardReconcilerTests()
    {
        _store = new IntentStore(_state.Path);
        _reconciler = new GuardReconciler(_store, NftTableFlags.None, Open, _log);
        Assert.Equal(3, new HashSet<int> { RulesOf(Guarded), RulesOf(Changed), RulesOf(Intruding) }.Count);
    }

    /// <summary>Thrown by the next opens instead of opening (the namespace vanished between check and open).</summary>
    private Exception? OpenFailure { get; set; }

    /// <summary>The inode a namespace is opened with: the path's own by default.</summary>
    private Func<string, ulong> InodeOf { get; set; } = RealInode;

    private static IsolationPolicy Guarded => ContractPolicies.Example();

    private static IsolationPolicy Changed => new([Endpoint.Parse("203.0.113.7:6514")], dns: DnsPolicy.AnyResolver);

    private static IsolationPolicy Intruding => new([Endpoint.Parse("198.51.100.9")]);

    private static string Table => IsolationPolicy.DefaultTableName;

    private FakeNfTablesKernel Kernel => _rig.Kernel;

    public void Dispose()
    {
        _rig.Dispose();
        _state.Dispose();
    }

    // ---- restore and apply ----

    [Fact]
    public void RestoreAll_RecordedIntent_CommitsRulesetOnceAndGuardsTable()
    {
        _store.Record(IntentFor(Guarded));

        RestoreResult outcome = Assert.Single(_reconciler.RestoreAll());

        Assert.Equal(RestoreOutcome.Restored, outcome.Outcome);
        Assert.Equal(1, Kernel.BatchesCommitted);
        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        Assert.Equal([Target], _reconciler.WatchedTargets);
        Assert.Single(_log.WithId(Guarding));
    }

    [Fact]
    public void RestoreAll_UnreadableIntentFile_FailedAndNothingCommitted()
    {
        _store.Record(IntentFor(Guarded));
        File.WriteAllText(_store.PathFor(Target, Table), "{");

        RestoreResult outcome = Assert.Single(_reconciler.RestoreAll());

        Assert.Equal(RestoreOutcome.Failed, outcome.Outcome);
        Assert.Single(_log.WithId(IntentUnreadable));
        Assert.Equal(0, _opens);
        Assert.Empty(Kernel.Requests);
    }

    [Fact]
    public void RestoreAll_NamespaceFileMissing_IntentKeptNotAppliedReportedOnce()
    {
        string target = MissingNamespacePath();
        _store.Record(IntentFor(Guarded, target));

        IReadOnlyList<RestoreResult> first = _reconciler.RestoreAll();
        IReadOnlyList<RestoreResult> second = _reconciler.RestoreAll();
        _reconciler.Verify();

        Assert.Equal(RestoreOutcome.SkippedNamespaceGone, Assert.Single(first).Outcome);
        Assert.Equal(RestoreOutcome.SkippedNamespaceGone, Assert.Single(second).Outcome);
        Assert.Single(_log.WithId(NamespaceMissing));
        Assert.Equal(0, _opens);
        Assert.NotNull(_store.Read(target, Table));
    }

    [Fact]
    public void RestoreAll_NamespaceVanishesBeforeOpen_SkippedReportedOnceThenRestoredWhenBack()
    {
        _store.Record(IntentFor(Guarded));
        OpenFailure = NamespaceNotFound(MissingNamespacePath());

        RestoreOutcome first = Assert.Single(_reconciler.RestoreAll()).Outcome;
        RestoreOutcome second = Assert.Single(_reconciler.RestoreAll()).Outcome;
        OpenFailure = null;
        RestoreOutcome back = Assert.Single(_reconciler.RestoreAll()).Outcome;

        Assert.Equal([RestoreOutcome.SkippedNamespaceGone, RestoreOutcome.SkippedNamespaceGone, RestoreOutcome.Restored], [first, second, back]);
        Assert.Single(_log.WithId(NamespaceMissing));
        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
    }

    [Fact]
    public void RestoreAll_KernelRejectsBatch_FailedAndReported()
    {
        _store.Record(IntentFor(Guarded));
        Kernel.RejectBatch = _ => (1, Errno.ENOMEM, null);

        RestoreResult outcome = Assert.Single(_reconciler.RestoreAll());

        Assert.Equal(RestoreOutcome.Failed, outcome.Outcome);
        Assert.Single(_log.WithId(IntentFailed));
        Assert.False(Kernel.TableExists);
    }

    [Fact]
    public void Apply_TableAlreadyGuardedInWatchedNamespace_ReusesConnectionAndReportsGuardingOnce()
    {
        Restored();

        _reconciler.Apply(IntentFor(Changed, minute: 1), IsolateOptions.Default);

        Assert.Equal(1, _opens);
        Assert.Equal(RulesOf(Changed), Kernel.RuleCount);
        Assert.Single(_log.WithId(Guarding));
    }

    // ---- another process's commit ----

    [Fact]
    public void ForeignCommit_AnotherProcessReplacedTable_RecommitsRecordedRulesetAndReportsWhoDidIt()
    {
        GuardedNamespace watched = Restored();
        IntruderInstalls(Intruding);

        _reconciler.ForeignCommit(watched, [GuardEvents.ChainDeleted(IntruderPort, Table)], GuardEvents.CommitEnd(IntruderPort, "nft", 4242));

        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        LoggedEvent tamper = Assert.Single(_log.WithId(Tamper));
        Assert.Equal("chain output deleted", tamper.Fields["Changes"]);
        Assert.Equal("nft", tamper.Fields["ProcessName"]);
        Assert.Equal(4242u, tamper.Fields["ProcessId"]);
        Assert.Equal(IntruderPort, tamper.Fields["PortId"]);
    }

    [Fact]
    public void ForeignCommit_ChangeToUnguardedTable_NothingCommitted()
    {
        GuardedNamespace watched = Restored();
        int committed = Kernel.BatchesCommitted;

        _reconciler.ForeignCommit(watched, [GuardEvents.ChainDeleted(IntruderPort, "filter")], GuardEvents.CommitEnd(IntruderPort));

        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.Empty(_log.WithId(Tamper));
    }

    [Fact]
    public void ForeignCommit_IntentRemovedOnDisk_NotRecommittedAndUnguarded()
    {
        GuardedNamespace watched = Restored();
        _store.Forget(Target, Table);
        IntruderInstalls(Intruding);
        int committed = Kernel.BatchesCommitted;

        IntruderCommitSeen(watched);

        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.Equal(RulesOf(Intruding), Kernel.RuleCount);
        Assert.Single(_log.WithId(Unguarded));
        Assert.Empty(watched.Tables);
    }

    [Fact]
    public void ForeignCommit_IntentChangedOnDisk_RecommitsTheNewIntent()
    {
        GuardedNamespace watched = Restored();
        _store.Record(IntentFor(Changed, minute: 1));
        IntruderInstalls(Intruding);

        _reconciler.ForeignCommit(watched, [GuardEvents.RuleAdded(IntruderPort, Table)], GuardEvents.CommitEnd(IntruderPort));

        Assert.Equal(RulesOf(Changed), Kernel.RuleCount);
        Assert.Single(_log.WithId(Tamper));
    }

    [Fact]
    public void ForeignCommit_IntentFileCorrupt_RecommitsLastReadIntentAndReportsFile()
    {
        GuardedNamespace watched = Restored();
        File.WriteAllText(_store.PathFor(Target, Table), "{");
        IntruderInstalls(Intruding);

        IntruderCommitSeen(watched);

        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        Assert.Single(_log.WithId(IntentUnreadable));
        Assert.Single(_log.WithId(Tamper));
    }

    [Fact]
    public void ForeignCommit_NamespaceNoLongerWatched_Ignored()
    {
        GuardedNamespace watched = Restored();
        _reconciler.RemoveAll();
        IntruderInstalls(Intruding);
        int committed = Kernel.BatchesCommitted;

        IntruderCommitSeen(watched);

        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.Equal(RulesOf(Intruding), Kernel.RuleCount);
    }

    [Fact]
    public void ForeignCommit_RecommitRejected_ReportsFailureNotTamper()
    {
        GuardedNamespace watched = Restored();
        IntruderInstalls(Intruding);
        Kernel.RejectBatch = _ => (1, Errno.ENOMEM, null);

        IntruderCommitSeen(watched);

        Assert.Single(_log.WithId(ReassertFailed));
        Assert.Empty(_log.WithId(Tamper));
        Assert.Equal(RulesOf(Intruding), Kernel.RuleCount);
    }

    // ---- lost events and the periodic pass: re-read, compare, re-commit only on a difference ----

    [Fact]
    public void EventsLost_TableInForce_ReReadAndNothingCommitted()
    {
        GuardedNamespace watched = Restored();
        int committed = Kernel.BatchesCommitted;
        int requests = Kernel.Requests.Count;

        _reconciler.EventsLost(watched);

        Assert.Contains("GETTABLE", _rig.RequestsAfter(requests));
        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.Empty(_log.WithId(Drift));
    }

    [Fact]
    public void EventsLost_TableReplaced_RecommittedAndDriftReported()
    {
        GuardedNamespace watched = Restored();
        IntruderInstalls(Intruding);

        _reconciler.EventsLost(watched);

        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        Assert.Equal("events were lost", Assert.Single(_log.WithId(Drift)).Fields["Reason"]);
    }

    [Fact]
    public void Verify_TableInForce_NothingCommitted()
    {
        Restored();
        int committed = Kernel.BatchesCommitted;
        int requests = Kernel.Requests.Count;

        Assert.Empty(_reconciler.Verify());

        Assert.Contains("GETTABLE", _rig.RequestsAfter(requests));
        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.Empty(_log.WithId(Drift));
    }

    [Fact]
    public void Verify_TableReplaced_RecommittedOnceAndDriftReported()
    {
        Restored();
        IntruderInstalls(Intruding);
        int committed = Kernel.BatchesCommitted;

        _reconciler.Verify();

        Assert.Equal(committed + 1, Kernel.BatchesCommitted);
        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        LoggedEvent drift = Assert.Single(_log.WithId(Drift));
        Assert.Equal("periodic verification", drift.Fields["Reason"]);
        Assert.Equal($"{RulesOf(Intruding)} rules instead of {RulesOf(Guarded)}", drift.Fields["Difference"]);
    }

    [Fact]
    public void Verify_TableDeleted_RecommittedAsMissing()
    {
        Restored();
        Kernel.Clear();

        _reconciler.Verify();

        Assert.True(Kernel.TableExists);
        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        Assert.Equal("table is missing", Assert.Single(_log.WithId(Drift)).Fields["Difference"]);
    }

    [Fact]
    public void Verify_TableCannotBeRead_ReportsFailureAndCommitsNothing()
    {
        Restored();
        int committed = Kernel.BatchesCommitted;
        Kernel.ReplyTransform = (request, replies) => request.Name == "GETTABLE" ? [] : replies;

        _reconciler.Verify();

        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.Single(_log.WithId(ReassertFailed));
    }

    [Fact]
    public void Verify_IntentAddedOnDisk_AppliedAndGuarded()
    {
        Assert.Empty(_reconciler.Verify());
        Assert.Equal(0, _opens);

        _store.Record(IntentFor(Guarded));
        _reconciler.Verify();

        Assert.Equal([Target], _reconciler.WatchedTargets);
        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        Assert.Single(_log.WithId(Guarding));
    }

    [Fact]
    public void Verify_IntentRemovedOnDisk_UnguardedNamespaceIdleTableLeftInPlace()
    {
        GuardedNamespace watched = Restored();
        _store.Forget(Target, Table);
        int committed = Kernel.BatchesCommitted;

        List<GuardedNamespace> idle = _reconciler.Verify();

        Assert.Same(watched, Assert.Single(idle));
        Assert.Empty(_reconciler.WatchedTargets);
        Assert.Single(_log.WithId(Unguarded));
        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.True(Kernel.TableExists);
    }

    [Fact]
    public void Verify_IntentChangedOnDisk_NewRulesetCommittedOverSameConnection()
    {
        Restored();
        _store.Record(IntentFor(Changed, minute: 1));

        _reconciler.Verify();

        Assert.Equal(RulesOf(Changed), Kernel.RuleCount);
        Assert.Equal(1, _opens);
        Assert.Empty(_log.WithId(Drift));
    }

    // ---- namespaces ----

    [Fact]
    public void RemoveVanishedNamespaces_NamespaceFileGone_StopsWatchingKeepsIntentAndTable()
    {
        // A namespace named through a process that then exits: its /proc/PID/ns/net is gone with it.
        using Process holder = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        string target = $"/proc/{holder.Id}/ns/net";
        IsolationIntent intent = IntentFor(Guarded, target);
        int committed;
        try
        {
            _store.Record(intent);
            _reconciler.Apply(intent, IsolateOptions.Default);
            committed = Kernel.BatchesCommitted;
            Assert.Empty(_reconciler.RemoveVanishedNamespaces());
        }
        finally
        {
            holder.Kill();
            holder.WaitForExit();
        }

        List<GuardedNamespace> gone = _reconciler.RemoveVanishedNamespaces();

        Assert.Equal(target, Assert.Single(gone).Target);
        Assert.Empty(_reconciler.WatchedTargets);
        Assert.Single(_log.WithId(NamespaceGone));
        Assert.NotNull(_store.Read(target, Table));
        Assert.Equal(committed, Kernel.BatchesCommitted);
        Assert.True(Kernel.TableExists);
    }

    [Fact]
    public void RemoveVanishedNamespaces_PathNamesAnotherNamespaceNow_StopsWatching()
    {
        InodeOf = path => RealInode(path) + 1;
        _reconciler.Apply(IntentFor(Guarded), IsolateOptions.Default);

        List<GuardedNamespace> gone = _reconciler.RemoveVanishedNamespaces();

        Assert.Equal(Target, Assert.Single(gone).Target);
        Assert.Empty(_reconciler.WatchedTargets);
    }

    [Fact]
    public void RemoveVanishedNamespaces_NamespaceStillThere_KeepsWatching()
    {
        Restored();

        Assert.Empty(_reconciler.RemoveVanishedNamespaces());

        Assert.Equal([Target], _reconciler.WatchedTargets);
        Assert.Empty(_log.WithId(NamespaceGone));
    }

    // ---- unisolate ----

    [Fact]
    public void Unisolate_WatchedTarget_DeletesTableThroughOwnerAndStopsGuarding()
    {
        GuardedNamespace watched = Restored();

        _reconciler.Unisolate(Target, Table);
        IntruderInstalls(Intruding);
        int committed = Kernel.BatchesCommitted;
        IntruderCommitSeen(watched);

        Assert.Empty(watched.Tables);
        Assert.Equal(committed, Kernel.BatchesCommitted);
    }

    private static int RulesOf(IsolationPolicy policy) => IsolationRuleset.Build(policy).Rules.Count;

    private static IsolationIntent IntentFor(IsolationPolicy policy, string target = Target, int minute = 0)
    {
        Assert.Equal(IsolationMode.Keep, policy.Mode);
        return new IsolationIntent(
            target,
            policy.TableName,
            policy,
            new Dictionary<string, IReadOnlyList<string>>(),
            policy.Reason,
            new DateTimeOffset(2026, 1, 2, 3, minute, 5, TimeSpan.Zero),
            new IsolationActor(0, "root", 4242));
    }

    private static string MissingNamespacePath() => "/run/netns/aurorasoc-absent-" + Guid.NewGuid().ToString("N");

    private static ulong RealInode(string target)
        => NetworkNamespaceIdentity.TryGetInode(target, out ulong inode) == 0 ? inode : 0;

    private static IsolationException NamespaceNotFound(string path)
    {
        IsolationException exception = IsolationException.From(IsolationOperation.Open, NetlinkConnection.OpenFailure(Errno.ENOENT, path), null);
        Assert.Equal(IsolationErrorKind.NamespaceNotFound, exception.Kind);
        return exception;
    }

    /// <summary>Opens a target as the guard does, but over the fake kernel (every target shares it).</summary>
    private GuardedNamespace Open(string target, string? path)
    {
        _opens++;
        if (OpenFailure is { } failure)
        {
            throw failure;
        }

        var watched = new GuardedNamespace(target, InodeOf(target), _rig.Isolator);
        _opened[target] = watched;
        return watched;
    }

    /// <summary>Records the guarded intent for the host target and restores it, as the guard does at start.</summary>
    private GuardedNamespace Restored()
    {
        _store.Record(IntentFor(Guarded));
        Assert.Contains(_reconciler.RestoreAll(), result => result.Target == Target && result.Outcome == RestoreOutcome.Restored);
        Assert.Equal(RulesOf(Guarded), Kernel.RuleCount);
        return _opened[Target];
    }

    /// <summary>The event watch reports a commit by the intruder's port id that deleted a chain of the guarded table.</summary>
    private void IntruderCommitSeen(GuardedNamespace watched)
        => _reconciler.ForeignCommit(watched, [GuardEvents.ChainDeleted(IntruderPort, Table)], GuardEvents.CommitEnd(IntruderPort));

    /// <summary>Another process (another port id) installs its own ruleset in the guarded table's place.</summary>
    private void IntruderInstalls(IsolationPolicy policy)
    {
        using HostIsolator intruder = HostIsolator.Create(new NfTablesConnection(new FakeNetlinkSocket(Kernel, IntruderPort), Rig.Options));
        intruder.Isolate(policy);
        Assert.Equal(RulesOf(policy), Kernel.RuleCount);
    }
}
