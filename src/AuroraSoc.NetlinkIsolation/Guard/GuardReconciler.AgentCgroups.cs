using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// Agent cgroups created again (docs/ruleset.md, "Agent identity"): a restarted service gets a new cgroup with a new id,
/// and the installed rule then matches nothing. The guard re-resolves each recorded cgroup path when its parent
/// directory reports a change and re-commits the tables whose ids changed, through the same re-commit as a tamper. A
/// cgroup that is gone is not re-committed: the installed rule keeps the id it has (fail closed, nothing opens).
/// </summary>
internal sealed partial class GuardReconciler
{
    /// <summary>The absolute directories of every agent cgroup the guarded tables record (what the watch follows).</summary>
    public List<string> AgentCgroupDirectories()
    {
        var directories = new List<string>();
        if (CgroupV2Hierarchy.FromMountInfo(AgentIdentityHost.System.MountInfo()) is not { } hierarchy)
        {
            return directories;
        }

        foreach (GuardedNamespace watched in _namespaces.Values)
        {
            foreach (GuardedTable table in watched.Tables.Values)
            {
                foreach (AgentIdentity identity in table.Intent.Policy.AgentIdentities)
                {
                    if (identity.KindCode == AgentIdentityKind.Cgroup && identity.CgroupPath is { } path)
                    {
                        directories.Add(hierarchy.DirectoryOf(path));
                    }
                }
            }
        }

        return directories;
    }

    /// <summary>
    /// Re-resolves the agent cgroups of every guarded table; a table one of whose cgroups now exists under another id
    /// than the ruleset holds is rebuilt from its intent and re-committed. Returns how many tables were re-committed.
    /// </summary>
    public int RefreshAgentCgroups()
    {
        int recommitted = 0;
        foreach (GuardedNamespace watched in _namespaces.Values)
        {
            foreach (GuardedTable table in watched.Tables.Values)
            {
                if (!HasAgentCgroup(table.Intent.Policy))
                {
                    continue;
                }

                IsolationIntent? fresh;
                try
                {
                    fresh = _store.Read(watched.Target, table.Name); // reading re-resolves each cgroup path now
                }
                catch (Exception exception) when (exception is IntentCorruptException or IntentStoreException)
                {
                    GuardLogMessages.IntentUnreadable(_logger, _store.PathFor(watched.Target, table.Name), exception.Message);
                    continue;
                }

                if (fresh is null || AnyCgroupAppeared(table.Intent.Policy, fresh.Policy) is not { } appeared)
                {
                    continue;
                }

                var rebuilt = new GuardedTable(fresh, _tableFlags) { ReadFrom = IntentFileStamp.Of(_store.PathFor(watched.Target, table.Name)) };
                watched.Tables[table.Name] = rebuilt;
                long elapsed = Reassert(watched, rebuilt);
                if (elapsed >= 0)
                {
                    recommitted++;
                    GuardLogMessages.AgentCgroupRecommitted(_logger, table.Name, watched.Target, appeared, elapsed);
                }
            }
        }

        return recommitted;
    }

    private static bool HasAgentCgroup(IsolationPolicy policy)
    {
        foreach (AgentIdentity identity in policy.AgentIdentities)
        {
            if (identity.KindCode == AgentIdentityKind.Cgroup)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The path of a cgroup that exists now under another id than <paramref name="installed"/> holds; null when none.</summary>
    private static string? AnyCgroupAppeared(IsolationPolicy installed, IsolationPolicy now)
    {
        for (int i = 0; i < installed.AgentIdentities.Count && i < now.AgentIdentities.Count; i++)
        {
            AgentIdentity before = installed.AgentIdentities[i];
            AgentIdentity after = now.AgentIdentities[i];
            if (after.KindCode == AgentIdentityKind.Cgroup && after.Id != 0 && after.Id != before.Id)
            {
                return after.CgroupPath ?? after.Value;
            }
        }

        return null;
    }
}
