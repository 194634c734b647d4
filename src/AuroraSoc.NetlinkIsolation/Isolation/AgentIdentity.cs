using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Who may reach the collectors while isolated (docs/ruleset.md, "Agent identity"): a cgroup v2, a user or a group,
/// as the operator gave it and as resolved to the number the kernel compares. Resolving names and paths is the
/// caller's job; an identity only carries the result, so building a ruleset never touches the host.
/// </summary>
public sealed class AgentIdentity : IEquatable<AgentIdentity>
{
    private AgentIdentity(AgentIdentityKind kind, string value, ulong id, int cgroupLevel)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw new PolicyValidationException("agent", value, "an agent identity needs a value");
        }

        KindCode = kind;
        Value = value;
        Id = id;
        CgroupLevel = cgroupLevel;
    }

    /// <summary>Which match the identity becomes: <c>cgroup</c>, <c>user</c> or <c>group</c> (the words of <c>--agent-cgroup</c>, <c>--agent-user</c>, <c>--agent-group</c>).</summary>
    public string Kind => KindCode switch
    {
        AgentIdentityKind.Cgroup => "cgroup",
        AgentIdentityKind.User => "user",
        _ => "group",
    };

    internal AgentIdentityKind KindCode { get; }

    /// <summary>The identity as given: a cgroup path or <c>pid:PID</c>, a user or group name or number.</summary>
    public string Value { get; }

    /// <summary>
    /// The resolved number: the cgroup id (the inode number of the cgroup directory; 0 names no cgroup, what an
    /// unresolvable cgroup is installed as), or the uid or gid.
    /// </summary>
    public ulong Id { get; }

    /// <summary>For a cgroup, its depth below the cgroup2 mount (<c>system.slice/edr.service</c> → 2); 0 otherwise.</summary>
    public int CgroupLevel { get; }

    /// <summary>A cgroup v2 identity: the kernel matches sockets of cgroup <paramref name="cgroupId"/> and below.</summary>
    /// <param name="value">The cgroup as given (a path relative to the cgroup2 mount, an absolute one, or <c>pid:PID</c>).</param>
    /// <param name="cgroupId">The cgroup's id; 0 when it cannot be resolved (matches nothing: fail closed).</param>
    /// <param name="level">The cgroup's depth below the cgroup2 mount, at least 1 (level 0 is the root: every socket).</param>
    public static AgentIdentity Cgroup(string value, ulong cgroupId, int level)
    {
        if (level < 1)
        {
            throw new PolicyValidationException("agent-cgroup", value, "the cgroup must lie below the cgroup2 root (level 1 or more): the root holds every process");
        }

        return new AgentIdentity(AgentIdentityKind.Cgroup, value, cgroupId, level);
    }

    /// <summary>A user identity: sockets whose owner uid is <paramref name="uid"/>.</summary>
    public static AgentIdentity User(string value, uint uid) => new(AgentIdentityKind.User, value, uid, 0);

    /// <summary>A group identity: sockets whose owner fsgid is <paramref name="gid"/>.</summary>
    public static AgentIdentity Group(string value, uint gid) => new(AgentIdentityKind.Group, value, gid, 0);

    /// <summary>Same kind, value as given, id and level.</summary>
    public bool Equals(AgentIdentity? other)
        => other is not null && KindCode == other.KindCode && Id == other.Id && CgroupLevel == other.CgroupLevel && string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => Equals(obj as AgentIdentity);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(KindCode, Value, Id, CgroupLevel);

    /// <summary>The identity as an operator reads it, e.g. <c>cgroup system.slice/edr.service (id 4211, level 2)</c>.</summary>
    public override string ToString() => KindCode switch
    {
        AgentIdentityKind.Cgroup => string.Create(CultureInfo.InvariantCulture, $"cgroup {Value} (id {Id}, level {CgroupLevel})"),
        AgentIdentityKind.User => string.Create(CultureInfo.InvariantCulture, $"user {Value} (uid {Id})"),
        _ => string.Create(CultureInfo.InvariantCulture, $"group {Value} (gid {Id})"),
    };
}
