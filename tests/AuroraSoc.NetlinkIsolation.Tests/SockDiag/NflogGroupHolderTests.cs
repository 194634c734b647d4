using AuroraSoc.NetlinkIsolation.SockDiag;

namespace AuroraSoc.NetlinkIsolation.Tests.SockDiag;

public sealed class NflogGroupHolderTests
{
    // As nfnetlink_log's seq_show prints it: group, peer port id, queue length, copy mode, range, flush timeout, use.
    private const string Table = "    5  31337     0 2 65535    100  1\n64168 2426807360     0 2   128    100  1\n";

    [Fact]
    public void FindPortId_BoundGroup_ReturnsItsPortId() => Assert.Equal(2426807360u, NflogGroupHolder.FindPortId(Table, 64168));

    [Fact]
    public void FindPortId_UnboundGroup_ReturnsNull() => Assert.Null(NflogGroupHolder.FindPortId(Table, 64169));
}
