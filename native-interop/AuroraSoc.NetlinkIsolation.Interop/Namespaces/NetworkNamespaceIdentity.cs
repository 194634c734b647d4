using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop;

/// <summary>
/// Which network namespace a namespace file (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>) refers to: its nsfs
/// inode, the number in <c>net:[INODE]</c>. Two paths name the same namespace exactly when the inodes are equal, and a
/// path that is deleted or re-created for a new namespace stops matching the inode recorded earlier.
/// </summary>
public static class NetworkNamespaceIdentity
{
    /// <summary>The inode of the caller's own network namespace (that of the calling thread).</summary>
    public const string CurrentThreadPath = "/proc/thread-self/ns/net";

    /// <summary>Returns 0 and the inode, or errno: open(2)'s error for the path, EINVAL when it is not a network namespace.</summary>
    public static int TryGetInode(string namespacePath, out ulong inode)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        inode = 0;
        int fd = Open(namespacePath);
        if (fd < 0)
        {
            return -fd;
        }

        try
        {
            // readlink of the descriptor names the nsfs object: "net:[4026531840]" (namespaces(7)).
            string? target = new FileInfo(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{fd}")).LinkTarget;
            const string prefix = "net:[";
            if (target is null || !target.StartsWith(prefix, StringComparison.Ordinal) || !target.EndsWith(']'))
            {
                return Errno.EINVAL;
            }

            return ulong.TryParse(target.AsSpan(prefix.Length, target.Length - prefix.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out inode)
                ? 0
                : Errno.EINVAL;
        }
        catch (IOException)
        {
            return Errno.EINVAL;
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }

    private static unsafe int Open(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return -Errno.EINVAL;
        }

        byte[] nullTerminated = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, nullTerminated);
        fixed (byte* pathBytes = nullTerminated)
        {
            int fd = LibC.open(pathBytes, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
            return fd == -1 ? -Marshal.GetLastPInvokeError() : fd;
        }
    }
}
