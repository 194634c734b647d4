using Xunit.v3;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class RequirementsTests
{
    [Fact]
    public void RequirePrivilegedVariable_Constant_IsTheAgreedName() =>
        Assert.Equal("AURORASOC_REQUIRE_PRIVILEGED", Requirements.RequirePrivilegedVariable);

    [Fact]
    public void Unavailable_PrivilegedRequired_FailsWithReason()
    {
        var thrown = Assert.Throws<PrerequisiteUnavailableException>(() => Requirements.Unavailable("no frobnicator here", privilegedRequired: true));

        Assert.Contains("no frobnicator here", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(Requirements.RequirePrivilegedVariable, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnavailableException_PrivilegedNotRequired_IsXunitDynamicSkipWithReason()
    {
        var exception = Requirements.UnavailableException("no frobnicator here", privilegedRequired: false);

        // xunit skips a test whose exception's message starts with its token: the text after it is the reason.
        Assert.True(exception.IsSkip);
        Assert.Equal(DynamicSkipToken.Value + "no frobnicator here", exception.Message);
    }

    [Fact]
    public void DynamicSkipToken_OfTestingLibrary_IsXunits()
        => Assert.Equal(DynamicSkipToken.Value, PrerequisiteUnavailableException.DynamicSkipToken);

    [Fact]
    public void UnavailableException_PrivilegedRequired_IsFailureWithReason()
    {
        var exception = Requirements.UnavailableException("no frobnicator here", privilegedRequired: true);

        Assert.False(exception.IsSkip);
        Assert.DoesNotContain(DynamicSkipToken.Value, exception.Message, StringComparison.Ordinal);
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
