using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>A kernel without nft_socket's cgroupv2 key (before 5.13) refuses the rule with EOPNOTSUPP: the failure says which.</summary>
public sealed class AgentCgroupKernelSupportTests
{
    [Fact]
    public void From_RuleRefusedWithEopnotsupp_NamesSocketCgroupV2AndNothingChanged()
    {
        var refused = new NetlinkException(NetlinkErrorKind.KernelRejected, Errno.EOPNOTSUPP, "kernel rejected NFT_MSG_NEWRULE: EOPNOTSUPP", null, "NFT_MSG_NEWRULE", 12, null);

        IsolationException failure = IsolationException.From(IsolationOperation.Isolate, refused, IsolationState.NotIsolated);

        Assert.Contains("socket cgroupv2", failure.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void From_OtherRefusal_SaysNothingOfCgroups()
    {
        var refused = new NetlinkException(NetlinkErrorKind.KernelRejected, Errno.EINVAL, "kernel rejected NFT_MSG_NEWRULE: EINVAL", null, "NFT_MSG_NEWRULE", 12, null);

        IsolationException failure = IsolationException.From(IsolationOperation.Isolate, refused, IsolationState.NotIsolated);

        Assert.DoesNotContain("cgroupv2", failure.Message, StringComparison.Ordinal);
    }
}
