using System.Diagnostics.CodeAnalysis;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>Skips a test whose prerequisite is missing, unless AURORASOC_REQUIRE_PRIVILEGED=1 demands that it run.</summary>
internal static class PrivilegedEnvironment
{
    private const string RequireVariable = "AURORASOC_REQUIRE_PRIVILEGED";

    public static bool IsRequired => Environment.GetEnvironmentVariable(RequireVariable) == "1";

    [DoesNotReturn]
    public static void SkipOrFail(string reason)
    {
        if (IsRequired)
        {
            Assert.Fail($"{reason} ({RequireVariable}=1, so this does not skip)");
        }

        Assert.Skip(reason);
        throw new InvalidOperationException("unreachable: Assert.Skip throws");
    }
}
