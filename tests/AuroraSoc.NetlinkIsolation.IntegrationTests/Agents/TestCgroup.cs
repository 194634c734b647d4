using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// A throwaway cgroup v2 directory, <c>aurorasoc-test-GUID</c> below the cgroup2 mount of this host (at
/// /sys/fs/cgroup/unified on a hybrid host), with an optional child; removed on dispose once the short-lived
/// processes the tests put in it have exited.
/// </summary>
internal sealed class TestCgroup : IDisposable
{
    private TestCgroup(string mount, string relative)
    {
        Mount = mount;
        RelativePath = relative;
        Directory.CreateDirectory(AbsolutePath);
    }

    /// <summary>The cgroup2 mount point.</summary>
    public string Mount { get; }

    /// <summary>The cgroup relative to the mount: what --agent-cgroup takes.</summary>
    public string RelativePath { get; }

    public string AbsolutePath => Mount + "/" + RelativePath;

    /// <summary>A new cgroup; unavailable (a skip, a failure under AURORASOC_REQUIRE_PRIVILEGED) without root or cgroup2.</summary>
    public static TestCgroup Create()
    {
        Requirements.RequireRoot();
        string? mount = CgroupV2Hierarchy.FromMountInfo(File.ReadAllText("/proc/self/mountinfo"))?.MountPoint;
        if (mount is null)
        {
            Requirements.Unavailable("no cgroup2 mounted under /sys/fs/cgroup");
        }

        return new TestCgroup(mount!, "aurorasoc-test-" + Guid.NewGuid().ToString("N")[..12]);
    }

    /// <summary>A child cgroup below this one, created now (removed with this one).</summary>
    public string CreateChild(string name)
    {
        Directory.CreateDirectory(AbsolutePath + "/" + name);
        return RelativePath + "/" + name;
    }

    /// <summary>Removes the cgroup (and a child) and creates it again: what a service restart does; the id changes.</summary>
    public void Recreate()
    {
        RemoveTree();
        Directory.CreateDirectory(AbsolutePath);
    }

    /// <summary>Removes the cgroup and its children (rmdir: a cgroup with processes refuses, EBUSY).</summary>
    public void RemoveTree()
    {
        if (!Directory.Exists(AbsolutePath))
        {
            return;
        }

        foreach (string child in Directory.GetDirectories(AbsolutePath))
        {
            RemoveWithRetry(child);
        }

        RemoveWithRetry(AbsolutePath);
    }

    public void Dispose() => RemoveTree();

    private static void RemoveWithRetry(string directory)
    {
        // A process just exited may still be counted for a moment (its cgroup is released after it is reaped).
        for (int attempt = 0; ; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return;
            }
            catch (IOException) when (attempt < 50)
            {
                Thread.Sleep(20);
            }
        }
    }
}
