using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>
/// Agent identities resolved against a synthetic host: the cgroup2 mount found in a mountinfo text of each layout
/// (unified at /sys/fs/cgroup, hybrid at /sys/fs/cgroup/unified beside v1 controllers), paths relative and absolute,
/// <c>pid:PID</c> through the process's <c>0::</c> line, names through the user database, numbers as given.
/// </summary>
public sealed class AgentIdentityResolverTests
{
    // proc(5) mountinfo lines as a Debian host with systemd prints them.
    private const string Unified =
        "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
        + "30 24 0:26 / /sys/fs/cgroup rw,nosuid,nodev,noexec,relatime shared:9 - cgroup2 cgroup2 rw,nsdelegate,memory_recursiveprot\n";

    private const string Hybrid =
        "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
        + "30 24 0:26 / /sys/fs/cgroup ro,nosuid,nodev,noexec shared:9 - tmpfs tmpfs ro,mode=755\n"
        + "31 30 0:27 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime shared:10 - cgroup2 cgroup2 rw,nsdelegate\n"
        + "32 30 0:28 / /sys/fs/cgroup/systemd rw,nosuid,nodev,noexec,relatime shared:11 - cgroup cgroup rw,xattr,name=systemd\n"
        + "33 30 0:29 / /sys/fs/cgroup/pids rw,nosuid,nodev,noexec,relatime shared:12 - cgroup cgroup rw,pids\n";

    [Theory]
    [InlineData(Unified, "/sys/fs/cgroup")]
    [InlineData(Hybrid, "/sys/fs/cgroup/unified")]
    public void FromMountInfo_EachLayout_FindsTheCgroup2Mount(string mountInfo, string expected)
        => Assert.Equal(expected, CgroupV2Hierarchy.FromMountInfo(mountInfo)!.MountPoint);

    [Fact]
    public void FromMountInfo_OnlyCgroupV1AndSysRemounted_IsNull()
    {
        // What a CLI under `ip netns exec` sees: /sys remounted, no cgroup mounts at all.
        const string NetnsExec = "22 1 259:2 / / rw,relatime shared:1 - ext4 /dev/root rw\n"
            + "40 22 0:40 / /sys rw,relatime - sysfs ns1 rw\n";
        Assert.Null(CgroupV2Hierarchy.FromMountInfo(NetnsExec));
    }

    [Theory]
    [InlineData(Unified, "system.slice/edr.service", "/sys/fs/cgroup/system.slice/edr.service")]
    [InlineData(Unified, "/sys/fs/cgroup/system.slice/edr.service", "/sys/fs/cgroup/system.slice/edr.service")]
    [InlineData(Hybrid, "system.slice/edr.service", "/sys/fs/cgroup/unified/system.slice/edr.service")]
    [InlineData(Hybrid, "/sys/fs/cgroup/unified/system.slice//./edr.service/", "/sys/fs/cgroup/unified/system.slice/edr.service")]
    public void Resolve_CgroupPath_IdIsTheDirectoryInodeAndLevelCountsFromTheMount(string mountInfo, string value, string directory)
    {
        var host = new FakeHost(mountInfo) { Directories = { [directory] = 4211 } };

        AgentIdentity identity = AgentIdentityResolver.Resolve(AgentIdentityKind.Cgroup, value, host);

        Assert.Equal(("cgroup", value, 4211UL, 2, "system.slice/edr.service"), (identity.Kind, identity.Value, identity.Id, identity.CgroupLevel, identity.CgroupPath));
    }

    [Theory]
    [InlineData(Unified, "/sys/fs/cgroup/system.slice/edr.service")]
    [InlineData(Hybrid, "/sys/fs/cgroup/unified/system.slice/edr.service")]
    public void Resolve_Pid_UsesTheProcessCgroupV2LineAndKeepsItsPath(string mountInfo, string directory)
    {
        var host = new FakeHost(mountInfo)
        {
            Directories = { [directory] = 77 },
            Processes = { [1234] = "12:pids:/system.slice/edr.service\n1:name=systemd:/system.slice/edr.service\n0::/system.slice/edr.service\n" },
        };

        AgentIdentity identity = AgentIdentityResolver.Resolve(AgentIdentityKind.Cgroup, "pid:1234", host);

        Assert.Equal(("pid:1234", 77UL, 2, "system.slice/edr.service"), (identity.Value, identity.Id, identity.CgroupLevel, identity.CgroupPath));
    }

    [Theory]
    [InlineData("")]
    [InlineData("pid:")]
    [InlineData("pid:abc")]
    [InlineData("pid:0")]
    [InlineData("pid:-5")]
    [InlineData("../etc")]
    [InlineData("system.slice/../../x")]
    [InlineData(".")]
    [InlineData("/etc/cgroup")]
    [InlineData("/sys/fs/cgroup")]
    public void Resolve_Malformed_IsRefusedAsInvalidInput(string value)
    {
        var host = new FakeHost(Unified);

        var refused = Assert.Throws<PolicyValidationException>(() => AgentIdentityResolver.Resolve(AgentIdentityKind.Cgroup, value, host));

        Assert.Equal("agent-cgroup", refused.Field);
    }

    [Fact]
    public void Resolve_MissingCgroup_FailsNamingTheDirectory()
    {
        var failure = Assert.Throws<IsolationException>(() => AgentIdentityResolver.Resolve(AgentIdentityKind.Cgroup, "system.slice/gone.service", new FakeHost(Hybrid)));

        Assert.Equal(IsolationErrorKind.AgentIdentityUnresolved, failure.Kind);
        Assert.Contains("/sys/fs/cgroup/unified/system.slice/gone.service", failure.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_MissingProcess_FailsNamingIt()
    {
        var failure = Assert.Throws<IsolationException>(() => AgentIdentityResolver.Resolve(AgentIdentityKind.Cgroup, "pid:999999999", new FakeHost(Unified)));

        Assert.Equal(IsolationErrorKind.AgentIdentityUnresolved, failure.Kind);
        Assert.Contains("no process 999999999", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NoCgroup2Mounted_FailsSuggestingNetns()
    {
        var failure = Assert.Throws<IsolationException>(() => AgentIdentityResolver.Resolve(AgentIdentityKind.Cgroup, "system.slice/edr.service", new FakeHost("22 1 259:2 / / rw - ext4 /dev/root rw\n")));

        Assert.Contains("ip netns exec", failure.Message, StringComparison.Ordinal);
        Assert.Contains("--netns", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("user", "edr", 998U)]
    [InlineData("user", "4242", 4242U)]
    [InlineData("group", "edr", 997U)]
    [InlineData("group", "0", 0U)]
    public void Resolve_UserOrGroup_NameThroughTheDatabaseNumberAsGiven(string kindWord, string value, uint expected)
    {
        AgentIdentityKind kind = AgentIdentityResolver.KindOf(kindWord)!.Value;
        var host = new FakeHost(Unified) { Users = { ["edr"] = 998 }, Groups = { ["edr"] = 997 } };

        AgentIdentity identity = AgentIdentityResolver.Resolve(kind, value, host);

        Assert.Equal((value, (ulong)expected), (identity.Value, identity.Id));
    }

    [Theory]
    [InlineData("user", "--agent-user")]
    [InlineData("group", "--agent-group")]
    public void Resolve_UnknownName_FailsNamingTheOption(string kindWord, string option)
    {
        AgentIdentityKind kind = AgentIdentityResolver.KindOf(kindWord)!.Value;
        var failure = Assert.Throws<IsolationException>(() => AgentIdentityResolver.Resolve(kind, "nosuchname", new FakeHost(Unified)));

        Assert.Equal(IsolationErrorKind.AgentIdentityUnresolved, failure.Kind);
        Assert.StartsWith(option + " 'nosuchname'", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Resolve_NumberOfMinusOne_IsRefused()
        => Assert.Throws<PolicyValidationException>(() => AgentIdentityResolver.Resolve(AgentIdentityKind.User, "4294967295", new FakeHost(Unified)));

    [Fact]
    public void ResolveRecorded_CgroupAbsent_IsIdZeroNeverTheRecordedId()
    {
        AgentIdentity identity = AgentIdentityResolver.ResolveRecorded(AgentIdentityKind.Cgroup, "system.slice/edr.service", "system.slice/edr.service", 4211, new FakeHost(Hybrid));

        Assert.Equal((0UL, 2, true), (identity.Id, identity.CgroupLevel, identity.IsUnresolvedCgroup));
    }

    [Fact]
    public void ResolveRecorded_CgroupPresent_IsItsIdNow()
    {
        var host = new FakeHost(Hybrid) { Directories = { ["/sys/fs/cgroup/unified/system.slice/edr.service"] = 9000 } };

        AgentIdentity identity = AgentIdentityResolver.ResolveRecorded(AgentIdentityKind.Cgroup, "system.slice/edr.service", "system.slice/edr.service", 4211, host);

        Assert.Equal(9000UL, identity.Id);
    }

    [Fact]
    public void ResolveRecorded_User_IsTheRecordedNumberWithoutALookup()
    {
        AgentIdentity identity = AgentIdentityResolver.ResolveRecorded(AgentIdentityKind.User, "edr", null, 998, new FakeHost(Unified));

        Assert.Equal(("edr", 998UL), (identity.Value, identity.Id));
    }

    private sealed class FakeHost(string mountInfo) : AgentIdentityHost
    {
        public Dictionary<string, ulong> Directories { get; } = [];

        public Dictionary<int, string> Processes { get; } = [];

        public Dictionary<string, uint> Users { get; } = [];

        public Dictionary<string, uint> Groups { get; } = [];

        public override string? MountInfo() => mountInfo;

        public override string? ProcessCgroups(int pid) => Processes.GetValueOrDefault(pid);

        public override int DirectoryId(string path, out ulong id) => Directories.TryGetValue(path, out id) ? 0 : Errno.ENOENT;

        public override int UserId(string name, out uint uid) => Users.TryGetValue(name, out uid) ? 0 : Errno.ENOENT;

        public override int GroupId(string name, out uint gid) => Groups.TryGetValue(name, out gid) ? 0 : Errno.ENOENT;
    }
}
