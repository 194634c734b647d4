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

    /// <summary>
    /// An identity as an operator gives it, resolved on this host before anything is committed (docs/ruleset.md,
    /// "Agent identity"): a cgroup path relative to the cgroup2 mount, an absolute one under it or <c>pid:PID</c>
    /// (that process's cgroup v2); a user or group name (the system's user database) or number (used as given).
    /// </summary>
    /// <param name="kind"><c>cgroup</c>, <c>user</c> or <c>group</c>.</param>
    /// <param name="value">The identity as given.</param>
    /// <exception cref="PolicyValidationException">The value is malformed (empty, <c>pid:</c> without a positive number, a <c>..</c> component, an absolute path outside the cgroup2 mount).</exception>
    /// <exception cref="IsolationException">The cgroup, process, user or group does not exist, or no cgroup2 is mounted (<see cref="IsolationErrorKind.AgentIdentityUnresolved"/>).</exception>
    public static AgentIdentity Resolve(string kind, string value)
    {
        AgentIdentityKind code = AgentIdentityResolver.KindOf(kind) ?? throw new PolicyValidationException("agent", kind, "the kind must be cgroup, user or group");
        return AgentIdentityResolver.Resolve(code, value, AgentIdentityHost.System);
    }

    /// <summary>Refuses a malformed identity without looking at the host (see <see cref="Resolve"/>); throws <see cref="PolicyValidationException"/>.</summary>
    /// <param name="kind"><c>cgroup</c>, <c>user</c> or <c>group</c>.</param>
    /// <param name="value">The identity as given.</param>
    public static void Validate(string kind, string value)
    {
        AgentIdentityKind code = AgentIdentityResolver.KindOf(kind) ?? throw new PolicyValidationException("agent", kind, "the kind must be cgroup, user or group");
        AgentIdentityResolver.Validate(code, value);
    }

    /// <summary>A user identity: sockets whose owner uid is <paramref name="uid"/>.</summary>
    public static AgentIdentity User(string value, uint uid) => new(AgentIdentityKind.User, value, uid, 0);

    /// <summary>A group identity: sockets whose owner fsgid is <paramref name="gid"/>.</summary>
    public static AgentIdentity Group(string value, uint gid) => new(AgentIdentityKind.Group, value, gid, 0);

    /// <summary>A cgroup identity resolved here: <paramref name="path"/> is the cgroup relative to the cgroup2 mount (what an intent records).</summary>
    internal static AgentIdentity Cgroup(string value, ulong cgroupId, int level, string path)
    {
        AgentIdentity identity = Cgroup(value, cgroupId, level);
        identity.CgroupPath = path;
        return identity;
    }

    /// <summary>For a cgroup resolved on this host, its path relative to the cgroup2 mount (for <c>pid:PID</c>, that process's cgroup); else null.</summary>
    internal string? CgroupPath { get; private set; }

    /// <summary>A cgroup that could not be resolved and stands as id 0, which names no cgroup (fail closed).</summary>
    internal bool IsUnresolvedCgroup => KindCode == AgentIdentityKind.Cgroup && Id == 0;

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
