using AuroraSoc.NetlinkIsolation.Interop.FileSystem;
using AuroraSoc.NetlinkIsolation.Interop.Process;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// What resolving an agent identity reads from the host: the mount table, a process's cgroup, a directory's inode
/// number and the user database. Virtual so tests can give a synthetic host (a hybrid or a unified mount table)
/// without root; the real host is <see cref="System"/>.
/// </summary>
internal class AgentIdentityHost
{
    /// <summary>The host as this process sees it (its mount namespace, its user database).</summary>
    public static AgentIdentityHost System { get; } = new();

    /// <summary>This process's mount table, proc(5) mountinfo format; null when it cannot be read.</summary>
    public virtual string? MountInfo()
    {
        try
        {
            return File.ReadAllText("/proc/self/mountinfo");
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>/proc/PID/cgroup; null when no such process exists.</summary>
    public virtual string? ProcessCgroups(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cgroup");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>0 and the directory's inode number (a cgroup's id), or lstat's errno (ENOTDIR for a non-directory).</summary>
    public virtual int DirectoryId(string path, out ulong id) => DirectoryInode.TryGet(path, out id);

    /// <summary>0 and the uid, ENOENT for an unknown name, or the lookup's errno.</summary>
    public virtual int UserId(string name, out uint uid) => UserDatabase.TryGetUserId(name, out uid);

    /// <summary>0 and the gid, ENOENT for an unknown name, or the lookup's errno.</summary>
    public virtual int GroupId(string name, out uint gid) => UserDatabase.TryGetGroupId(name, out gid);
}
