using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// A sensor linking the library while a guard serves its state directory: DurableIsolator and IsolationRestorer hand
/// their changes to the guard with everything they carry, and get the same results and failures back.
/// </summary>
public sealed class DurableIsolatorHandoffTests
{
    [Fact]
    public void Isolate_GuardServesStore_ReasonAndNamesRecordedAndTableOwnedThenUnisolated()
    {
        using GuardSite site = GuardSite.Create("durable hand-over: isolate and unisolate");
        IsolationGuard guard = site.StartGuard();
        using HostIsolator isolator = HostIsolator.Open(site.Namespace.Path);
        var durable = new DurableIsolator(isolator, site.Store);
        var resolved = new Dictionary<string, IReadOnlyList<string>> { ["edr.test"] = ["192.0.2.10"] };

        IsolationResult result = durable.Isolate(new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")], reason: "INC-1"), resolvedNames: resolved);

        Assert.Equal("aurorasoc", result.TableName);
        string listing = site.ListTable()!;
        Assert.Contains(guard.OwnsTables ? "\tflags owner\n\tcomment \"INC-1\"\n" : "{\n\tcomment \"INC-1\"\n", listing, StringComparison.Ordinal);
        IsolationIntent intent = site.Store.Read(site.Namespace.Path, "aurorasoc")!;
        Assert.Equal(("INC-1", "192.0.2.10"), (intent.Reason, Assert.Single(intent.ResolvedNames["edr.test"])));

        durable.Unisolate();

        Assert.Null(site.ListTable());
        Assert.Null(site.Store.Read(site.Namespace.Path, "aurorasoc"));
    }

    [Fact]
    public void IsolateAndUnisolate_GuardServesStore_OwnSocketClosedBeforeHandingOverAndOpenedAgainOnDemand()
    {
        using GuardSite site = GuardSite.Create("durable hand-over: the command's own socket");
        site.StartGuard();
        using HostIsolator isolator = HostIsolator.Open(site.Namespace.Path);
        var durable = new DurableIsolator(isolator, site.Store);

        durable.Isolate(new IsolationPolicy([Endpoint.Parse("192.0.2.10")]));

        // Closed before the guard committed, so its close did not wait for the guard's commit (ADR 0006).
        Assert.False(isolator.HasOpenConnection);
        Assert.Equal(IsolationState.Isolated, isolator.GetStatus().State);
        Assert.True(isolator.HasOpenConnection);

        durable.Unisolate();

        Assert.False(isolator.HasOpenConnection);
        Assert.False(isolator.IsIsolated());
        Assert.Null(site.ListTable());
    }

    [Fact]
    public void Isolate_GuardServesStoreAndNoCollectorReachable_RolledBackExceptionAndNothingRecorded()
    {
        using GuardSite site = GuardSite.Create("durable hand-over: verification fails");
        site.StartGuard();
        using HostIsolator isolator = HostIsolator.Open(site.Namespace.Path);
        var durable = new DurableIsolator(isolator, site.Store);

        // Only loopback in the namespace: the connection fails at once.
        var failure = Assert.Throws<IsolationException>(() => durable.Isolate(new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]), new IsolateOptions { VerifyCollectors = true }));

        Assert.Equal((IsolationErrorKind.CollectorUnreachable, true, IsolationState.NotIsolated), (failure.Kind, failure.RolledBack, failure.StateAfter));
        Assert.Equal("192.0.2.10:6514", Assert.Single(failure.CollectorChecks).Endpoint.ToString());
        Assert.Null(site.ListTable());
        Assert.Null(site.Store.Read(site.Namespace.Path, "aurorasoc"));
    }

    [Fact]
    public void Restore_GuardServesStore_HandedOverAndResultsComeBack()
    {
        using GuardSite site = GuardSite.Create("durable hand-over: restore");
        IsolationIntent intent = site.RecordContractIntent();
        site.StartGuard();

        RestoreResult result = Assert.Single(new IsolationRestorer(site.Store).Restore());

        Assert.Equal((intent.Target, "aurorasoc", RestoreOutcome.Restored), (result.Target, result.Table, result.Outcome));
        Assert.NotNull(site.ListTable());
    }
}
