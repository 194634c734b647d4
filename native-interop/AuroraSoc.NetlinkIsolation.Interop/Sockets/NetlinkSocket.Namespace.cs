using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop;

// Opening a socket in another network namespace. A socket belongs to the namespace of the thread that creates it,
// and setns(2) switches only the calling thread, so the switch happens on a dedicated thread that ends afterwards.
public sealed partial class NetlinkSocket
{
    private const string CurrentThreadNamespacePath = "/proc/thread-self/ns/net";

    /// <summary>
    /// Opens a socket in the network namespace at <paramref name="namespacePath"/> (e.g. /run/netns/NAME or
    /// /proc/PID/ns/net). Returns 0 or errno: ENOENT and other open(2) errors for the path, EINVAL when it is not a
    /// network namespace, EPERM without CAP_SYS_ADMIN. The calling thread's own namespace never changes.
    /// </summary>
    public static int TryOpenInNamespace(string namespacePath, int bufferBytes, out NetlinkSocket? socket)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        ArgumentOutOfRangeException.ThrowIfNegative(bufferBytes);

        int error = 0;
        NetlinkSocket? opened = null;
        ExceptionDispatchInfo? failure = null;

        // Never a pool thread: if switching back failed, whatever ran next on the thread would run in the wrong
        // namespace. A dedicated thread runs nothing else and simply ends (mdlayher/netlink netns_linux.go).
        var thread = new Thread(() =>
        {
            try
            {
                error = OpenOnThisThreadIn(namespacePath, bufferBytes, out opened);
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "AuroraSoc netns socket open",
        };
        thread.UnsafeStart();
        thread.Join();

        failure?.Throw();
        socket = opened;
        return error;
    }

    /// <summary>
    /// Returns 0 if <paramref name="namespacePath"/> is a network namespace, else errno: open(2)'s error for the path,
    /// or EINVAL for any other file, as setns(2) would. Needs Linux 4.11 (NS_GET_NSTYPE, ioctl_ns(2)); no privileges.
    /// </summary>
    public static int ProbeNamespace(string namespacePath)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        int fd = OpenForNamespace(namespacePath);
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

    private static int OpenOnThisThreadIn(string namespacePath, int bufferBytes, out NetlinkSocket? socket)
    {
        socket = null;
        int original = OpenForNamespace(CurrentThreadNamespacePath);
        if (original < 0)
        {
            return -original;
        }

        try
        {
            int target = OpenForNamespace(namespacePath);
            if (target < 0)
            {
                return -target;
            }

            // setns(2): EINVAL when the file is not a network namespace (another namespace type, or not nsfs).
            int entered = LibC.setns(target, NamespaceConstants.CLONE_NEWNET);
            int enterError = entered == -1 ? Marshal.GetLastPInvokeError() : 0;
            _ = LibC.close(target);
            if (enterError != 0)
            {
                return enterError;
            }

            try
            {
                return TryOpen(bufferBytes, out socket);
            }
            finally
            {
                // If this fails the thread stays in the other namespace, which is harmless: it is dedicated to this
                // call and ends right after. The socket is unaffected: it belongs to the namespace it was made in.
                _ = LibC.setns(original, NamespaceConstants.CLONE_NEWNET);
            }
        }
        finally
        {
            _ = LibC.close(original);
        }
    }

    /// <summary>open(2) read-only; returns the descriptor or -errno.</summary>
    private static unsafe int OpenForNamespace(string path)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            return -Errno.EINVAL;
        }

        byte[] nullTerminated = new byte[Encoding.UTF8.GetByteCount(path) + 1];
        Encoding.UTF8.GetBytes(path, nullTerminated);

        // O_NONBLOCK so that a FIFO passed by mistake cannot block the open; setns and ioctl ignore it.
        fixed (byte* pathBytes = nullTerminated)
        {
            int fd = LibC.open(pathBytes, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
            return fd == -1 ? -Marshal.GetLastPInvokeError() : fd;
        }
    }
}
