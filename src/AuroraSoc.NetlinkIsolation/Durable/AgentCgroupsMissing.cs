using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>
/// What a restored intent's agent cgroups say about the result: a cgroup that could not be resolved was installed as id
/// 0, which names no cgroup — the isolation holds, fail closed, but the agent cannot reach its collectors — so the
/// outcome is degraded, naming each such cgroup (docs/ruleset.md, "Agent identity": at boot the cgroup usually does not
/// exist yet).
/// </summary>
internal static class AgentCgroupsMissing
{
    /// <summary>Restored, or degraded naming the missing cgroups, for an intent just committed.</summary>
    public static RestoreResult ResultOf(IsolationIntent intent, string filePath)
        => Describe(intent.Policy) is { } missing
            ? new RestoreResult(intent.Target, intent.Table, RestoreOutcome.Degraded, missing, filePath)
            : new RestoreResult(intent.Target, intent.Table, RestoreOutcome.Restored, null, filePath);

    /// <summary>"agent cgroup X does not exist: installed as id 0 (…)", or null when every identity resolved.</summary>
    public static string? Describe(IsolationPolicy policy)
    {
        var missing = new List<string>();
        foreach (AgentIdentity identity in policy.AgentIdentities)
        {
            if (identity.IsUnresolvedCgroup)
            {
                missing.Add(identity.CgroupPath ?? identity.Value);
            }
        }

        return missing.Count == 0
            ? null
            : $"agent cgroup {string.Join(", ", missing)} does not exist: installed as id 0, which names no cgroup (nothing opens); the guard re-commits when it appears, else run restore then";
    }
}
