using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>The agent identities the installed table binds its collectors to, and which of them are stale.</summary>
public sealed partial record DurableIsolationStatus
{
    /// <summary>
    /// The agent identities of the installed output rules, in their order, each named as the intent records it (a
    /// cgroup by its path; without an intent, by the path of the cgroup2 directory with that id, else the number).
    /// Empty without a table or without identities.
    /// </summary>
    public IReadOnlyList<AgentIdentity> InstalledAgentIdentities => Mine(stale: null);

    /// <summary>
    /// The installed identities whose number no longer names what was recorded — a cgroup removed or created again
    /// (every restart of a service recreates its cgroup), or installed as id 0 because it did not exist: the agent is
    /// cut off from its collectors. Any makes the isolation degraded; restore (or the guard) re-resolves and re-commits.
    /// </summary>
    public IReadOnlyList<AgentIdentity> StaleAgentIdentities => Mine(stale: true);

    private List<AgentIdentity> Mine(bool? stale)
    {
        // Computed on each read, not cached: a record's fields take part in its equality.
        var found = new List<AgentIdentity>();
        foreach ((AgentIdentity identity, bool isStale) in InstalledAgents.Of(Kernel.Table, Intent?.Policy))
        {
            if (stale is null || stale == isStale)
            {
                found.Add(identity);
            }
        }

        return found;
    }
}
