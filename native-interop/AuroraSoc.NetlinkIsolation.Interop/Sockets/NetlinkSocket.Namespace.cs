using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

// Opening a socket in another network namespace: a socket belongs to the namespace of the thread that creates it,
// so it is created on NetworkNamespaceThread, the one place that switches a thread's namespace.
internal sealed partial class NetlinkSocket
{
    /// <summary>
    /// Opens a socket in the network namespace at <paramref name="namespacePath"/> (e.g. /run/netns/NAME or
    /// /proc/PID/ns/net). Returns 0 or errno: ENOENT and other open(2) errors for the path, EINVAL when it is not a
    /// network namespace, EPERM without CAP_SYS_ADMIN. The calling thread's own namespace never changes.
    /// </summary>
    public static int TryOpenInNamespace(string namespacePath, int bufferBytes, out NetlinkSocket? socket)
        => TryOpenInNamespace(namespacePath, NetlinkConstants.NETLINK_NETFILTER, bufferBytes, out socket);

    /// <summary>As <see cref="TryOpenInNamespace(string, int, out NetlinkSocket?)"/> for netlink <paramref name="protocol"/>.</summary>
    public static int TryOpenInNamespace(string namespacePath, int protocol, int bufferBytes, out NetlinkSocket? socket)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        ArgumentOutOfRangeException.ThrowIfNegative(bufferBytes);

        int openError = 0;
        int error = NetworkNamespaceThread.TryRun(
            namespacePath,
            () =>
            {
                openError = TryOpen(protocol, bufferBytes, out NetlinkSocket? opened);
                return opened;
            },
            out socket);
        return error != 0 ? error : openError;
    }

    /// <summary>
    /// Returns 0 if <paramref name="namespacePath"/> is a network namespace, else errno: open(2)'s error for the path,
    /// or EINVAL for any other file, as setns(2) would. Needs Linux 4.11 (NS_GET_NSTYPE, ioctl_ns(2)); no privileges.
    /// </summary>
    public static int ProbeNamespace(string namespacePath)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        int fd = NetworkNamespaceThread.OpenNamespaceFile(namespacePath);
        if (fd < 0)
        {
            return -fd;
        }

        try
        {
            int type = LibC.ioctl(fd, NamespaceConstants.NS_GET_NSTYPE);
            if (type == -1)
            {
                // ENOTTY: not an nsfs file at all (a regular file, a directory, ...).
                int error = Marshal.GetLastPInvokeError();
                return error == Errno.ENOTTY ? Errno.EINVAL : error;
            }

            return type == NamespaceConstants.CLONE_NEWNET ? 0 : Errno.EINVAL;
        }
        finally
        {
            _ = LibC.close(fd);
        }
    }
}
