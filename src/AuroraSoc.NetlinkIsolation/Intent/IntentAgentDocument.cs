using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// One agent identity in an intent (format 3), as given and as resolved (docs/ruleset.md, "Agent identity"): for a
/// cgroup the path relative to the cgroup2 mount — for <c>pid:PID</c> the path that process had, never the pid, which
/// means nothing after a reboot — with its level; for a user or group the name or number given, with its number.
/// </summary>
internal sealed class IntentAgentDocument
{
    /// <summary><c>cgroup</c>, <c>user</c> or <c>group</c>.</summary>
    public required string Kind { get; init; }

    /// <summary>As given; for <c>pid:PID</c> the cgroup path it resolved to.</summary>
    public required string Value { get; init; }

    /// <summary>The cgroup path relative to the cgroup2 mount; null for users and groups.</summary>
    public string? Path { get; init; }

    /// <summary>The number resolved when recorded: the uid or gid restore uses; for a cgroup only informative (ids start again at every boot).</summary>
    public required ulong Id { get; init; }

    /// <summary>The cgroup's depth below the cgroup2 mount; 0 for users and groups.</summary>
    public int Level { get; init; }

    /// <summary>The policy's identities as recorded; null (the field absent) when there are none.</summary>
    public static List<IntentAgentDocument>? ListFrom(IReadOnlyList<AgentIdentity> identities)
    {
        if (identities.Count == 0)
        {
            return null;
        }

        var documents = new List<IntentAgentDocument>(identities.Count);
        foreach (AgentIdentity identity in identities)
        {
            string? path = identity.KindCode == AgentIdentityKind.Cgroup ? identity.CgroupPath ?? identity.Value : null;
            documents.Add(new IntentAgentDocument
            {
                Kind = identity.Kind,
                Value = identity.Value.StartsWith("pid:", StringComparison.Ordinal) && path is not null ? path : identity.Value,
                Path = path,
                Id = identity.Id,
                Level = identity.CgroupLevel,
            });
        }

        return documents;
    }

    /// <summary>
    /// The identities resolved now (restore, the guard): a cgroup by its path — id 0 when it does not exist (yet) —
    /// a user or group by its recorded number. Lazy, as the policy's constructor reads it.
    /// </summary>
    public static IEnumerable<AgentIdentity> Resolve(List<IntentAgentDocument>? documents)
    {
        foreach (IntentAgentDocument document in documents ?? [])
        {
            AgentIdentityKind kind = AgentIdentityResolver.KindOf(document.Kind)
                ?? throw new FormatException($"policy.agentIdentities: kind '{document.Kind}' is not cgroup, user or group");
            if (kind != AgentIdentityKind.Cgroup && document.Id > uint.MaxValue - 1)
            {
                throw new FormatException($"policy.agentIdentities: {document.Kind} '{document.Value}' has no valid number ({document.Id})");
            }

            yield return AgentIdentityResolver.ResolveRecorded(kind, document.Value, document.Path, document.Id, AgentIdentityHost.System);
        }
    }
}
