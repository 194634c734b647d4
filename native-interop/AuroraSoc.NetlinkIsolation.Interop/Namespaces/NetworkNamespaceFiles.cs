using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop;

/// <summary>
/// Reads the per-namespace files under <c>/proc/thread-self/net/</c> (proc(5)) of a given network namespace, e.g.
/// <c>netlink</c>, which lists every netlink socket of that namespace with its port id and inode.
/// </summary>
internal static class NetworkNamespaceFiles
{
    /// <summary>
    /// Reads <c>/proc/thread-self/net/<paramref name="name"/></c> as seen from the namespace at
    /// <paramref name="namespacePath"/> (null: the calling thread's own). Returns 0 or errno.
    /// </summary>
    public static int TryReadNetFile(string? namespacePath, string name, out string text)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("a file name under /proc/thread-self/net, without a slash", nameof(name));
        }

        string path = "/proc/thread-self/net/" + name;
        if (namespacePath is null)
        {
            return TryRead(path, out text);
        }

        int error = 0;
        string read = string.Empty;
        ExceptionDispatchInfo? failure = null;

        // setns(2) moves only the calling thread: a dedicated thread enters, reads and ends, whatever the outcome.
        var thread = new Thread(() =>
        {
            try
            {
                error = Enter(namespacePath);
                if (error == 0)
                {
                    error = TryRead(path, out read);
                }
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "AuroraSoc netns read",
        };
        thread.UnsafeStart();
        thread.Join();

        failure?.Throw();
        text = read;
        return error;
    }

    private static int TryRead(string path, out string text)
    {
        try
        {
            text = File.ReadAllText(path);
            return 0;
        }
        catch (FileNotFoundException)
        {
            text = string.Empty;
            return Errno.ENOENT;
        }
        catch (UnauthorizedAccessException)
        {
            text = string.Empty;
            return Errno.EACCES;
        }
    }

    private static unsafe int Enter(string namespacePath)
    {
        if (namespacePath.Contains('\0', StringComparison.Ordinal))
        {
            return Errno.EINVAL;
        }

        byte[] nullTerminated = new byte[Encoding.UTF8.GetByteCount(namespacePath) + 1];
        Encoding.UTF8.GetBytes(namespacePath, nullTerminated);
        int fd;
        fixed (byte* pathBytes = nullTerminated)
        {
            fd = LibC.open(pathBytes, LibC.O_RDONLY | LibC.O_CLOEXEC | LibC.O_NONBLOCK, 0);
        }

        if (fd == -1)
        {
            return Marshal.GetLastPInvokeError();
        }

        int entered = LibC.setns(fd, NamespaceConstants.CLONE_NEWNET);
        int error = entered == -1 ? Marshal.GetLastPInvokeError() : 0;
        _ = LibC.close(fd);
        return error;
    }
}
