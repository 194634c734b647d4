using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.FileSystem;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Names a cgroup id the way nft prints <c>socket cgroupv2</c>: the path, relative to <c>/sys/fs/cgroup</c>, of the
/// cgroup v2 directory whose inode number is the id (on a hybrid host, whose cgroup2 is mounted at
/// <c>/sys/fs/cgroup/unified</c>, that reads <c>unified/…</c>). nft 1.0.6 walks all of <c>/sys/fs/cgroup</c> and takes
/// the first entry of any kind with that inode number, so a stale id can print as some cgroup-v1 file on a hybrid
/// host; only directories of cgroup2 mounts are searched here, which gives nft's answer for every live cgroup.
/// </summary>
internal static class CgroupV2Directory
{
    /// <summary>Where nft resolves and prints cgroupv2 paths from (nftables src/datatype.c, cgroupv2 type).</summary>
    internal const string PrintRoot = "/sys/fs/cgroup";

    private static readonly EnumerationOptions Walk = new()
    {
        RecurseSubdirectories = true,
        IgnoreInaccessible = true,
        AttributesToSkip = FileAttributes.ReparsePoint, // never follow a symlink out of the hierarchy
        ReturnSpecialDirectories = false,
    };

    /// <summary>The path of the cgroup2 directory with id <paramref name="cgroupId"/> relative to /sys/fs/cgroup, or null (nft then prints the number).</summary>
    public static string? PathOf(ulong cgroupId)
    {
        if (cgroupId == 0)
        {
            return null; // id 0 names no cgroup: what an unresolved identity is installed as
        }

        string mountInfo;
        try
        {
            mountInfo = File.ReadAllText("/proc/self/mountinfo");
        }
        catch (IOException)
        {
            return null;
        }

        foreach (string mount in MountPoints(mountInfo))
        {
            string? found = Search(mount, cgroupId);
            if (found is not null)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>The cgroup2 mount points under /sys/fs/cgroup in mountinfo order (proc(5): field 5 is the mount point, the field after " - " the file system type).</summary>
    internal static List<string> MountPoints(string mountInfo)
    {
        var mounts = new List<string>();
        foreach (string line in mountInfo.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            int separator = line.IndexOf(" - ", StringComparison.Ordinal);
            string[] fields = line.Split(' ');
            if (separator < 0 || fields.Length < 5 || !line.AsSpan(separator + 3).StartsWith("cgroup2 ", StringComparison.Ordinal))
            {
                continue;
            }

            string mountPoint = Unescape(fields[4]);
            if (mountPoint == PrintRoot || mountPoint.StartsWith(PrintRoot + "/", StringComparison.Ordinal))
            {
                mounts.Add(mountPoint);
            }
        }

        return mounts;
    }

    private static string? Search(string mount, ulong cgroupId)
    {
        if (DirectoryInode.TryGet(mount, out ulong rootId) == 0 && rootId == cgroupId)
        {
            return Relative(mount);
        }

        try
        {
            foreach (string directory in Directory.EnumerateDirectories(mount, "*", Walk))
            {
                if (DirectoryInode.TryGet(directory, out ulong id) == 0 && id == cgroupId)
                {
                    return Relative(directory);
                }
            }
        }
        catch (IOException)
        {
            // the hierarchy changed under the walk (a cgroup was removed): what was not found stays a number
        }
        catch (UnauthorizedAccessException)
        {
        }

        return null;
    }

    private static string? Relative(string directory)
    {
        string relative = Path.GetRelativePath(PrintRoot, directory);
        return relative == "." ? null : relative;
    }

    /// <summary>mountinfo escapes space, tab, newline and backslash as \ooo octal.</summary>
    private static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (int i = 0; i < field.Length; i++)
        {
            if (field[i] == '\\' && i + 3 < field.Length
                && int.TryParse(field.AsSpan(i + 1, 3), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                text.Append((char)Convert.ToInt32(field.Substring(i + 1, 3), 8));
                i += 3;
            }
            else
            {
                text.Append(field[i]);
            }
        }

        return text.ToString();
    }
}
