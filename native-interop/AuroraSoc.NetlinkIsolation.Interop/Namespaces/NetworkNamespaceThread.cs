using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Namespaces;

/// <summary>
/// The one piece of code that changes a thread's network namespace. setns(2) switches only the calling thread, and a
/// socket belongs to the namespace of the thread that creates it, so work that must happen "inside" a namespace runs
/// on a dedicated thread that enters the namespace, runs the work, switches back and ends.
/// </summary>
/// <remarks>
/// Never a pool thread: if switching back failed, whatever ran next on that thread would silently run in the wrong
/// namespace. A dedicated thread runs the one piece of work and ends, whatever the outcome of the switch back.
/// </remarks>
internal static class NetworkNamespaceThread
{
    private const string CurrentThreadNamespacePath = "/proc/thread-self/ns/net";

    /// <summary>
    /// Runs <paramref name="work"/> in the network namespace at <paramref name="namespacePath"/> (e.g. /run/netns/NAME
    /// or /proc/PID/ns/net). Returns 0 or errno: ENOENT and other open(2) errors for the path, EINVAL when it is not a
    /// network namespace, EPERM without CAP_SYS_ADMIN; <paramref name="work"/> did not run unless 0 is returned.
    /// An exception thrown by <paramref name="work"/> is rethrown on the caller with its original stack trace.
    /// The calling thread's own namespace never changes.
    /// </summary>
    internal static int TryRun<T>(string namespacePath, Func<T> work, out T? result)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        ArgumentNullException.ThrowIfNull(work);

        T? produced = default;
        int error = OnDedicatedThread("AuroraSoc netns", () => RunOnThisThreadIn(namespacePath, work, out produced));
        result = produced;
        return error;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in a brand-new, empty network namespace (unshare(2) with CLONE_NEWNET): a place to
    /// ask the kernel what it supports without touching any namespace that matters. The namespace lives as long as
    /// something created in it (a socket) holds it. Returns 0 or errno (EPERM without CAP_SYS_ADMIN); the thread
    /// that unshared is never switched back and ends.
    /// </summary>
    internal static int TryRunInNewNamespace<T>(Func<T> work, out T? result)
    {
        ArgumentNullException.ThrowIfNull(work);

        T? produced = default;
        int error = OnDedicatedThread("AuroraSoc scratch netns", () =>
        {
            if (LibC.unshare(NamespaceConstants.CLONE_NEWNET) == -1)
            {
                return Marshal.GetLastPInvokeError();
            }

            produced = work();
            return 0;
        });
        result = produced;
        return error;
    }

    /// <summary>
    /// Runs <paramref name="body"/> on a new thread that ends with it (never a pool thread: its namespace may be left
    /// changed) and returns its errno; an exception it throws is rethrown here with its original stack trace.
    /// </summary>
    private static int OnDedicatedThread(string name, Func<int> body)
    {
        int error = 0;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                error = body();
            }
            catch (Exception exception)
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = name,
        };
        thread.UnsafeStart();
        thread.Join();

        failure?.Throw();
        return error;
    }

    /// <summary>As <see cref="TryRun{T}(string, Func{T}, out T)"/> for work without a result.</summary>
    internal static int TryRun(string namespacePath, Action work)
    {
        ArgumentNullException.ThrowIfNull(work);
        return TryRun(namespacePath, () =>
        {
            work();
            return true;
        }, out _);
    }

    /// <summary>open(2) read-only; returns the descriptor or -errno.</summary>
    internal static unsafe int OpenNamespaceFile(string path)
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

    private static int RunOnThisThreadIn<T>(string namespacePath, Func<T> work, out T? result)
    {
        result = default;
        int original = OpenNamespaceFile(CurrentThreadNamespacePath);
        if (original < 0)
        {
            return -original;
        }

        try
        {
            int target = OpenNamespaceFile(namespacePath);
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
                result = work();
                return 0;
            }
            finally
            {
                // If this fails the thread stays in the other namespace. That is harmless only because the thread is
                // dedicated to this one piece of work and ends right after; nothing else ever runs on it.
                _ = LibC.setns(original, NamespaceConstants.CLONE_NEWNET);
            }
        }
        finally
        {
            _ = LibC.close(original);
        }
    }
}
