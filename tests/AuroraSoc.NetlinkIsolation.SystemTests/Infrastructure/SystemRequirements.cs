using System.Diagnostics.CodeAnalysis;
using Xunit.Sdk;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>
/// A suite that cannot run here (no root, a tool missing) skips its tests — unless
/// <c>AURORASOC_REQUIRE_PRIVILEGED=1</c>, in which case they fail with the same reason, as every privileged test of
/// the repository does, so that CI cannot pass by skipping.
/// </summary>
internal static class SystemRequirements
{
    public const string RequirePrivilegedVariable = "AURORASOC_REQUIRE_PRIVILEGED";

    public static bool PrivilegedRequired => Environment.GetEnvironmentVariable(RequirePrivilegedVariable) == "1";

    /// <summary>Skips the current test with <paramref name="reason"/>, or fails it when privileged runs are required.</summary>
    [DoesNotReturn]
    public static void Unavailable(string reason) => throw UnavailableException(reason, PrivilegedRequired);

    internal static Exception UnavailableException(string reason, bool privilegedRequired)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return privilegedRequired
            ? FailException.ForFailure($"{reason} ({RequirePrivilegedVariable}=1, so this is a failure, not a skip)")
            : SkipException.ForSkip(reason);
    }
}
