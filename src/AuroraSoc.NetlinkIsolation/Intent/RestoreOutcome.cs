namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>What a restore did with one recorded intent (cli.md: restore's <c>outcome</c>).</summary>
public enum RestoreOutcome
{
    /// <summary>The recorded ruleset is in force (committed in one transaction).</summary>
    Restored,

    /// <summary>The namespace no longer exists; the intent is kept for when it comes back.</summary>
    SkippedNamespaceGone,

    /// <summary>The intent could not be read or applied; <see cref="RestoreResult.Error"/> says why.</summary>
    Failed,

    /// <summary>
    /// Installed, failing closed: an agent cgroup the intent records does not exist (yet) and stands as id 0, so only
    /// the agent's access to the collectors is missing until it appears (the guard re-commits then). Counts as applied.
    /// </summary>
    Degraded,
}
