using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.FileSystem;

/// <summary>
/// The inode number of a directory. A cgroup v2 directory's inode number is its cgroup id (kernfs: cgroup_id() is
/// the kernfs node id, which the inode number reports), the id nft_socket compares for <c>socket cgroupv2</c>.
/// </summary>
internal static class DirectoryInode
{
    /// <summary>Returns 0 and the inode, ENOTDIR when the path is not a directory (symlinks are not followed), or lstat(2)'s errno.</summary>
    public static unsafe int TryGet(string path, out ulong inode)
    {
        ArgumentNullException.ThrowIfNull(path);
        inode = 0;
        byte[]? native = NativePath.ToNullTerminated(path);
        if (native is null)
        {
            return LibC.EINVAL;
        }

        stat status;
        fixed (byte* p = native)
        {
            if (LibC.lstat(p, &status) == -1)
            {
                return Marshal.GetLastPInvokeError();
            }
        }

        if ((status.st_mode & LibC.S_IFMT) != LibC.S_IFDIR)
        {
            return LibC.ENOTDIR;
        }

        inode = status.st_ino;
        return 0;
    }
}
