using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Where this mount namespace has the cgroup v2 hierarchy: <c>/sys/fs/cgroup</c> on a unified host,
/// <c>/sys/fs/cgroup/unified</c> on a hybrid one (cgroup v1 controllers beside it). Only mounts under
/// <c>/sys/fs/cgroup</c> count: nft resolves and prints <c>socket cgroupv2</c> paths relative to it. A cgroup's
/// level is its depth below this mount, whatever the mount point (kernel: cgroup_ancestor() counts from the root).
/// </summary>
internal sealed class CgroupV2Hierarchy
{
    private CgroupV2Hierarchy(string mountPoint) => MountPoint = mountPoint;

    /// <summary>The cgroup2 mount point, e.g. <c>/sys/fs/cgroup/unified</c>.</summary>
    public string MountPoint { get; }

    /// <summary>The first cgroup2 mount under /sys/fs/cgroup in <paramref name="mountInfo"/> (proc(5) format); null when none.</summary>
    public static CgroupV2Hierarchy? FromMountInfo(string? mountInfo)
    {
        if (mountInfo is null)
        {
            return null;
        }

        List<string> mounts = CgroupV2Directory.MountPoints(mountInfo);
        return mounts.Count == 0 ? null : new CgroupV2Hierarchy(mounts[0]);
    }

    /// <summary>
    /// <paramref name="path"/> (relative to the mount, or absolute) as the components below the mount, "." and empty
    /// components dropped. Null with <paramref name="error"/> when a component is "..", or an absolute path lies
    /// outside the mount.
    /// </summary>
    public List<string>? ComponentsOf(string path, out string? error)
    {
        string relative = path;
        if (path.StartsWith('/'))
        {
            if (path != MountPoint && !path.StartsWith(MountPoint + "/", StringComparison.Ordinal))
            {
                error = $"an absolute path must lie under the cgroup2 mount {MountPoint}";
                return null;
            }

            relative = path[MountPoint.Length..];
        }

        return Components(relative, out error);
    }

    /// <summary>The components of a path relative to the mount; null with <paramref name="error"/> for a ".." component.</summary>
    public static List<string>? Components(string relative, out string? error)
    {
        error = null;
        var components = new List<string>();
        foreach (string component in relative.Split('/'))
        {
            if (component == "..")
            {
                error = "a cgroup path may not contain a '..' component";
                return null;
            }

            if (component.Length > 0 && component != ".")
            {
                components.Add(component);
            }
        }

        return components;
    }

    /// <summary>The absolute directory of the cgroup with these components.</summary>
    public string DirectoryOf(string relativePath) => relativePath.Length == 0 ? MountPoint : MountPoint + "/" + relativePath;
}
