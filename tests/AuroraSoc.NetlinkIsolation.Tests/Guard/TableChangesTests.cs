using AuroraSoc.NetlinkIsolation.Guard;

namespace AuroraSoc.NetlinkIsolation.Tests.Guard;

/// <summary>How the tamper report names what one foreign commit changed, table by table.</summary>
public sealed class TableChangesTests
{
    private const uint OtherPort = 0x9999;

    [Fact]
    public void Of_ChangesToTwoTables_OneEntryPerTableInOrderOfFirstChange()
    {
        List<TableChanges> changes = TableChanges.Of(
        [
            GuardEvents.ChainDeleted(OtherPort, table: "second"),
            GuardEvents.ChainDeleted(OtherPort, table: "first"),
            GuardEvents.RuleAdded(OtherPort, table: "second", chain: "input"),
        ]);

        Assert.Equal(
            [new TableChanges("second", "chain output deleted, rule added to chain input"), new TableChanges("first", "chain output deleted")],
            changes);
    }

    [Fact]
    public void Of_SameChangeTwice_NamedOnce()
    {
        List<TableChanges> changes = TableChanges.Of([GuardEvents.RuleAdded(OtherPort), GuardEvents.RuleAdded(OtherPort)]);

        Assert.Equal([new TableChanges(GuardEvents.Table, "rule added to chain output")], changes);
    }

    [Fact]
    public void Of_EventWithoutTable_ConcernsNoTable()
    {
        Assert.Empty(TableChanges.Of([GuardEvents.CommitEnd(OtherPort)]));
    }
}
