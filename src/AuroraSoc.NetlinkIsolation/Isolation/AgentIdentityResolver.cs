using System.Globalization;
using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Turns an agent identity as an operator gives it (docs/ruleset.md, "Agent identity") into the number the kernel
/// compares, before anything is committed. Two steps, as for host names: <see cref="Validate"/> refuses malformed
/// values without looking at the host (invalid input), <see cref="Resolve"/> looks them up and fails on what does
/// not exist. <see cref="ResolveRecorded"/> is restore's: a recorded cgroup that does not exist (yet) becomes id 0,
/// which names no cgroup — never a remembered id, since cgroup ids start again at every boot.
/// </summary>
internal static class AgentIdentityResolver
{
    private const string PidPrefix = "pid:";

    /// <summary>The option an identity kind is given with, as errors name it.</summary>
    public static string OptionOf(AgentIdentityKind kind) => kind switch
    {
        AgentIdentityKind.Cgroup => "agent-cgroup",
        AgentIdentityKind.User => "agent-user",
        _ => "agent-group",
    };

    /// <summary>The kind for a word of <see cref="AgentIdentity.Kind"/>; null for another word.</summary>
    public static AgentIdentityKind? KindOf(string? kind) => kind switch
    {
        "cgroup" => AgentIdentityKind.Cgroup,
        "user" => AgentIdentityKind.User,
        "group" => AgentIdentityKind.Group,
        _ => null,
    };

    /// <summary>
    /// Refuses what is malformed whatever the host: empty, <c>pid:</c> without a positive number, a path with a ".."
    /// component or naming the cgroup2 root, a NUL. Throws <see cref="PolicyValidationException"/> naming the option.
    /// </summary>
    public static void Validate(AgentIdentityKind kind, string? value)
    {
        string option = OptionOf(kind);
        if (string.IsNullOrEmpty(value) || value.Contains('\0', StringComparison.Ordinal))
        {
            throw new PolicyValidationException(option, value, "an agent identity needs a value");
        }

        if (kind != AgentIdentityKind.Cgroup)
        {
            return;
        }

        if (value.StartsWith(PidPrefix, StringComparison.Ordinal))
        {
            _ = ParsePid(value);
            return;
        }

        List<string>? components = CgroupV2Hierarchy.Components(value, out string? error);
        if (components is null)
        {
            throw new PolicyValidationException(option, value, error!);
        }

        if (components.Count == 0 && !value.StartsWith('/'))
        {
            throw RootRefused(value);
        }
    }

    /// <summary>The identity with its number; throws <see cref="PolicyValidationException"/> (malformed) or <see cref="IsolationException"/> (names nothing here).</summary>
    public static AgentIdentity Resolve(AgentIdentityKind kind, string value, AgentIdentityHost host)
    {
        Validate(kind, value);
        return kind switch
        {
            AgentIdentityKind.Cgroup => ResolveCgroup(value, host),
            AgentIdentityKind.User => AgentIdentity.User(value, ResolveNumber(kind, value, host)),
            _ => AgentIdentity.Group(value, ResolveNumber(kind, value, host)),
        };
    }

    /// <summary>
    /// An identity from an intent: a user or group by its recorded number (at boot directory services may not
    /// answer), a cgroup by its recorded path resolved now — id 0 when it does not exist or no cgroup2 is mounted.
    /// </summary>
    public static AgentIdentity ResolveRecorded(AgentIdentityKind kind, string value, string? cgroupPath, ulong recordedId, AgentIdentityHost host)
    {
        if (kind != AgentIdentityKind.Cgroup)
        {
            return kind == AgentIdentityKind.User ? AgentIdentity.User(value, checked((uint)recordedId)) : AgentIdentity.Group(value, checked((uint)recordedId));
        }

        string path = cgroupPath ?? value;
        List<string>? components = CgroupV2Hierarchy.Components(path, out string? error);
        if (components is null || components.Count == 0)
        {
            throw new PolicyValidationException("agent-cgroup", path, error ?? "the cgroup2 root holds every process");
        }

        string relative = string.Join('/', components);
        ulong id = 0;
        if (CgroupV2Hierarchy.FromMountInfo(host.MountInfo()) is { } hierarchy && host.DirectoryId(hierarchy.DirectoryOf(relative), out ulong found) == 0)
        {
            id = found;
        }

        return AgentIdentity.Cgroup(value, id, components.Count, relative);
    }

    private static AgentIdentity ResolveCgroup(string value, AgentIdentityHost host)
    {
        CgroupV2Hierarchy hierarchy = CgroupV2Hierarchy.FromMountInfo(host.MountInfo())
            ?? throw IsolationException.AgentIdentityUnresolved(
                "--agent-cgroup",
                value,
                "no cgroup2 file system is mounted under /sys/fs/cgroup in this mount namespace; 'ip netns exec' remounts /sys and hides it: run aurorasoc-isolate with --netns instead");
        string path = value;
        if (value.StartsWith(PidPrefix, StringComparison.Ordinal))
        {
            path = CgroupOfProcess(ParsePid(value), value, host);
        }

        List<string> components = hierarchy.ComponentsOf(path, out string? error)
            ?? throw new PolicyValidationException("agent-cgroup", value, error!);
        if (components.Count == 0)
        {
            throw RootRefused(value);
        }

        string relative = string.Join('/', components);
        string directory = hierarchy.DirectoryOf(relative);
        int errno = host.DirectoryId(directory, out ulong id);
        if (errno != 0)
        {
            string reason = errno == Errno.ENOENT ? $"no cgroup {directory} exists" : $"{directory}: {Errno.Name(errno)}";
            throw IsolationException.AgentIdentityUnresolved("--agent-cgroup", value, reason, errno);
        }

        return AgentIdentity.Cgroup(value, id, components.Count, relative);
    }

    /// <summary>The process's cgroup v2 path from its <c>0::</c> line (cgroups(7)), relative to the mount.</summary>
    private static string CgroupOfProcess(int pid, string value, AgentIdentityHost host)
    {
        string cgroups = host.ProcessCgroups(pid)
            ?? throw IsolationException.AgentIdentityUnresolved("--agent-cgroup", value, $"no process {pid} exists", Errno.ESRCH);
        foreach (string line in cgroups.Split('\n'))
        {
            if (line.StartsWith("0::", StringComparison.Ordinal))
            {
                return line[3..].TrimStart('/');
            }
        }

        throw IsolationException.AgentIdentityUnresolved("--agent-cgroup", value, $"process {pid} is in no cgroup v2 (no 0:: line in /proc/{pid}/cgroup)");
    }

    private static uint ResolveNumber(AgentIdentityKind kind, string value, AgentIdentityHost host)
    {
        // A number is used as given, with or without an entry; (uid_t)-1 is "no id" to the kernel (setresuid(2)).
        if (char.IsAsciiDigit(value[0]))
        {
            return uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out uint number) && number != uint.MaxValue
                ? number
                : throw new PolicyValidationException(OptionOf(kind), value, "a number must be from 0 to 4294967294");
        }

        int errno = kind == AgentIdentityKind.User ? host.UserId(value, out uint id) : host.GroupId(value, out id);
        if (errno == 0)
        {
            return id;
        }

        string what = kind == AgentIdentityKind.User ? "user" : "group";
        string reason = errno == Errno.ENOENT ? $"no {what} of that name in the system's user database" : $"looking up the {what} failed: {Errno.Name(errno)}";
        throw IsolationException.AgentIdentityUnresolved("--" + OptionOf(kind), value, reason, errno == Errno.ENOENT ? 0 : errno);
    }

    private static int ParsePid(string value)
    {
        return int.TryParse(value.AsSpan(PidPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out int pid) && pid > 0
            ? pid
            : throw new PolicyValidationException("agent-cgroup", value, "pid: needs a process id, a whole number from 1");
    }

    private static PolicyValidationException RootRefused(string value)
        => new("agent-cgroup", value, "names the cgroup2 root, which holds every process; name the agent's own cgroup");
}
