using Xunit.Sdk;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class RequirementsTests
{
    [Fact]
    public void RequirePrivilegedVariable_Constant_IsTheAgreedName() =>
        Assert.Equal("AURORASOC_REQUIRE_PRIVILEGED", Requirements.RequirePrivilegedVariable);

    [Fact]
    public void Unavailable_PrivilegedRequired_FailsWithReason()
    {
        var thrown = Assert.Throws<FailException>(() => Requirements.Unavailable("no frobnicator here", privilegedRequired: true));

        Assert.Contains("no frobnicator here", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(Requirements.RequirePrivilegedVariable, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnavailableException_PrivilegedNotRequired_IsXunitSkipWithReason()
    {
        // Inspected rather than thrown: a thrown skip exception marks this very test as skipped, even when caught.
        var exception = Requirements.UnavailableException("no frobnicator here", privilegedRequired: false);

        var skip = Assert.IsType<SkipException>(exception);
        Assert.Contains("no frobnicator here", skip.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnavailableException_PrivilegedRequired_IsFailureWithReason()
    {
        var exception = Requirements.UnavailableException("no frobnicator here", privilegedRequired: true);

        Assert.IsType<FailException>(exception);
    }

    [Fact]
    public void RequireAll_OnPrivilegedMachine_PassesWithoutSkipping()
    {
        Requirements.RequireRoot();
        Requirements.RequireIp();
        Requirements.RequireNft();
        Requirements.RequireNetworkNamespaces();
        Requirements.RequireNfTables();
    }

    [Fact]
    public void RequireNetworkNamespaces_AfterProbing_LeavesNoProbeNamespace()
    {
        Requirements.RequireNetworkNamespaces();
        Requirements.RequireNfTables();

        // Only this process's probes: other processes on the machine may hold namespaces with similar names.
        string own = $"{ThrowawayNamespace.TestPrefix}{Environment.ProcessId}-";
        Assert.DoesNotContain(
            ThrowawayNamespace.ListRegistered(),
            name => name.StartsWith(own, StringComparison.Ordinal) && (name.EndsWith("-probe", StringComparison.Ordinal) || name.EndsWith("-nfprobe", StringComparison.Ordinal)));
    }
}
