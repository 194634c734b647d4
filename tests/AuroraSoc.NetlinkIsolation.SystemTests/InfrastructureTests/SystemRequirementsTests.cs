using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;
using Xunit.Sdk;

namespace AuroraSoc.NetlinkIsolation.SystemTests.InfrastructureTests;

public sealed class SystemRequirementsTests
{
    [Fact]
    public void UnavailableException_PrivilegedNotRequired_SkipsWithReason()
    {
        var exception = SystemRequirements.UnavailableException("'podman' is not installed", privilegedRequired: false);

        Assert.IsType<SkipException>(exception);
        Assert.Contains("'podman' is not installed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnavailableException_PrivilegedRequired_FailsNamingReasonAndVariable()
    {
        var exception = SystemRequirements.UnavailableException("'podman' is not installed", privilegedRequired: true);

        Assert.IsType<FailException>(exception);
        Assert.Contains("'podman' is not installed", exception.Message, StringComparison.Ordinal);
        Assert.Contains(SystemRequirements.RequirePrivilegedVariable + "=1", exception.Message, StringComparison.Ordinal);
    }
}
