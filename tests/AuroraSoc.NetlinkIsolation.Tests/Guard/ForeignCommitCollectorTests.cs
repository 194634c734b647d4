using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Tests.Guard;

/// <summary>Which events the guard answers as tamper: another port id's commit to a guarded inet table, closed by NEWGEN.</summary>
public sealed class ForeignCommitCollectorTests
{
    private const uint GuardPort = 0x1234;
    private const uint OtherPort = 0x9999;

    private static ForeignCommitCollector Collector() => new(GuardPort, table => table == GuardEvents.Table);

    [Fact]
    public void Add_OwnCommit_ReportsNothing()
    {
        ForeignCommitCollector collector = Collector();

        Assert.Null(collector.Add(GuardEvents.ChainDeleted(GuardPort)));
        Assert.Null(collector.Add(GuardEvents.RuleAdded(GuardPort)));
        Assert.Null(collector.Add(GuardEvents.CommitEnd(GuardPort, "aurorasoc-isolate-guard")));
    }

    [Fact]
    public void Add_AnotherPortsCommitToGuardedTable_ReportsAllItsChangesAtNewGen()
    {
        ForeignCommitCollector collector = Collector();
        NfTablesEvent deleted = GuardEvents.ChainDeleted(OtherPort);
        NfTablesEvent added = GuardEvents.RuleAdded(OtherPort);

        Assert.Null(collector.Add(deleted));
        Assert.Null(collector.Add(added));
        NfTablesEvent[]? commit = collector.Add(GuardEvents.CommitEnd(OtherPort));

        Assert.NotNull(commit);
        Assert.Equal([deleted, added], commit);
    }

    [Fact]
    public void Add_AnotherPortsCommitToUnguardedTable_ReportsNothing()
    {
        ForeignCommitCollector collector = Collector();

        collector.Add(GuardEvents.ChainDeleted(OtherPort, table: "filter"));

        Assert.Null(collector.Add(GuardEvents.CommitEnd(OtherPort)));
    }

    [Fact]
    public void Add_SameTableNameInAnotherFamily_ReportsNothing()
    {
        ForeignCommitCollector collector = Collector();

        collector.Add(GuardEvents.ChainDeleted(OtherPort, family: NfProtocolFamily.IPv4));

        Assert.Null(collector.Add(GuardEvents.CommitEnd(OtherPort)));
    }

    [Fact]
    public void Add_TwoCommitsInOneRead_EachReportedWithOnlyItsOwnChanges()
    {
        ForeignCommitCollector collector = Collector();
        NfTablesEvent first = GuardEvents.ChainDeleted(OtherPort);
        NfTablesEvent second = GuardEvents.RuleAdded(OtherPort + 1);

        collector.Add(first);
        NfTablesEvent[]? firstCommit = collector.Add(GuardEvents.CommitEnd(OtherPort, generation: 8));
        collector.Add(second);
        NfTablesEvent[]? secondCommit = collector.Add(GuardEvents.CommitEnd(OtherPort + 1, generation: 9));

        Assert.NotNull(firstCommit);
        Assert.NotNull(secondCommit);
        Assert.Equal([first], firstCommit);
        Assert.Equal([second], secondCommit);
    }

    [Fact]
    public void Add_OwnChangesBesideAnotherPortsInOneCommitWindow_ReportsOnlyTheOthers()
    {
        ForeignCommitCollector collector = Collector();
        NfTablesEvent foreign = GuardEvents.ChainDeleted(OtherPort);

        collector.Add(GuardEvents.RuleAdded(GuardPort));
        collector.Add(foreign);

        NfTablesEvent[]? commit = collector.Add(GuardEvents.CommitEnd(OtherPort));

        Assert.NotNull(commit);
        Assert.Equal([foreign], commit);
    }

    [Fact]
    public void Discard_EventsLostMidCommit_PendingChangesNeverReported()
    {
        ForeignCommitCollector collector = Collector();
        collector.Add(GuardEvents.ChainDeleted(OtherPort));

        collector.Discard();

        Assert.Null(collector.Add(GuardEvents.CommitEnd(OtherPort)));
    }

    [Fact]
    public void Add_TableGuardedOnlyAfterItsChange_ChangeNotCollected()
    {
        var guarded = new HashSet<string>(StringComparer.Ordinal);
        var collector = new ForeignCommitCollector(GuardPort, guarded.Contains);

        collector.Add(GuardEvents.ChainDeleted(OtherPort));
        guarded.Add(GuardEvents.Table);

        Assert.Null(collector.Add(GuardEvents.CommitEnd(OtherPort)));
    }
}
