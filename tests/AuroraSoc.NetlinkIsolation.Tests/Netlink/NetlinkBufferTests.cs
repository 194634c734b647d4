using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Policies;

namespace AuroraSoc.NetlinkIsolation.Tests.Netlink;

/// <summary>Buffers take memory on first use and grow to what the messages need, not a fixed reserve.</summary>
public class NetlinkBufferTests
{
    [Fact]
    public void Constructor_Default_TakesNoMemoryUntilTheFirstWrite()
    {
        using var buffer = new NetlinkBuffer();

        Assert.Equal(0, buffer.Capacity);
    }

    [Fact]
    public void EnsureAvailable_FirstWrite_TakesAtLeastWhatIsNeeded()
    {
        using var buffer = new NetlinkBuffer();

        buffer.EnsureAvailable(5000);

        Assert.InRange(buffer.Capacity, 5000, 8192);
    }

    [Fact]
    public void WriteIsolateBatch_ContractExample_GrowsToLessThanTwiceItsSize()
    {
        var ruleset = IsolationRuleset.Build(ContractPolicies.Example());
        using var batch = new NfTablesBatch();

        ruleset.WriteIsolateBatch(batch, 1);

        // Doubling from a small start: the buffer ends between the batch's size and twice that.
        Assert.InRange(batch.Capacity, batch.Bytes.Length, 2 * batch.Bytes.Length);
    }
}
