using System.Runtime.InteropServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Namespaces;

/// <summary>
/// Which network namespace a namespace file (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>) refers to: its nsfs
/// inode, the number in <c>net:[INODE]</c>. Two paths name the same namespace exactly when the inodes are equal, and a
/// path that is deleted or re-created for a new namespace stops matching the inode recorded earlier.
/// </summary>
internal static class NetworkNamespaceIdentity
{
    /// <summary>Returns 0 and the inode, or errno: stat(2)'s error for the path, EINVAL when it is not a network namespace.</summary>
    public static unsafe int TryGetInode(string namespacePath, out ulong inode)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        inode = 0;
        int error = NetlinkSocket.ProbeNamespace(namespacePath);
        if (error != 0)
        {
            return error;
        }

        byte[] nullTerminated = new byte[Encoding.UTF8.GetByteCount(namespacePath) + 1];
        Encoding.UTF8.GetBytes(namespacePath, nullTerminated);
        stat status;
        fixed (byte* path = nullTerminated)
        {
            if (LibC.stat(path, &status) == -1)
            {
                return Marshal.GetLastPInvokeError();
            }
        }

        // A bind mount of an nsfs file (what `ip netns add` makes) stats as the namespace itself (namespaces(7)).
        inode = status.st_ino;
        return 0;
    }
}
