namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// What an agent identity names: the rule expression that matches the agent's sockets. Internal: the public surface
/// has a budget of exported types, and <see cref="AgentIdentity.Kind"/> names the kind in the CLI's words.
/// </summary>
internal enum AgentIdentityKind
{
    /// <summary>A cgroup v2 and everything below it: <c>socket cgroupv2 level L "PATH"</c>.</summary>
    Cgroup = 0,

    /// <summary>The socket's owner uid: <c>meta skuid UID</c>.</summary>
    User = 1,

    /// <summary>The socket's owner (fs) gid, not its supplementary groups: <c>meta skgid GID</c>.</summary>
    Group = 2,
}
