using System.Runtime.ExceptionServices;
using System.Runtime.InteropServices;
using System.Text;
using static Tmds.Linux.LibC;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>
/// Runs code on a fresh thread that has entered a network namespace with setns(2). setns switches only the calling
/// thread, and a socket belongs for life to the namespace it was created in, so sockets made here keep working from
/// any thread afterwards. The thread is never reused: it ends when the delegate returns.
/// </summary>
internal static class NamespaceThread
{
    /// <summary>setns(2) nstype for a network namespace (linux/sched.h).</summary>
    private const int CloneNewNet = 0x40000000;

    public static T Run<T>(string namespacePath, Func<T> action)
    {
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                Enter(namespacePath);
                result = action();
            }
#pragma warning disable CA1031 // Rethrown on the calling thread.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(exception);
            }
        })
        {
            IsBackground = true,
            Name = "demo netns " + namespacePath,
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    /// <summary>The <c>net:[inode]</c> identity of the namespace at <paramref name="namespacePath"/>.</summary>
    public static string IdentityOf(string namespacePath)
        => Run(namespacePath, () => new FileInfo("/proc/thread-self/ns/net").LinkTarget ?? "unknown");

    private static unsafe void Enter(string namespacePath)
    {
        byte[] path = Encoding.UTF8.GetBytes(namespacePath + "\0");
        int fd;
        fixed (byte* pathBytes = path)
        {
            fd = open(pathBytes, O_RDONLY | O_CLOEXEC, 0);
        }

        if (fd == -1)
        {
            throw new IOException($"open({namespacePath}) failed: errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            if (setns(fd, CloneNewNet) == -1)
            {
                throw new IOException($"setns({namespacePath}, CLONE_NEWNET) failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }
        finally
        {
            _ = close(fd);
        }
    }
}
