using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>A network namespace's identity, "net:[inode]", the way readlink(2) of /proc/PID/ns/net prints it.</summary>
internal static class NamespaceIdentity
{
    /// <summary>The namespace of this process (its main thread).</summary>
    public static string OfProcess() => ReadLink("/proc/self/ns/net");

    /// <summary>The namespace of the calling thread (setns(2) switches threads, not processes).</summary>
    public static string OfCurrentThread() => ReadLink("/proc/thread-self/ns/net");

    /// <summary>The namespace a nsfs file (e.g. /run/netns/NAME) refers to, from its inode number.</summary>
    public static unsafe string Of(string namespaceFile)
    {
        byte[] path = Encoding.UTF8.GetBytes(namespaceFile + "\0");
        stat status;
        fixed (byte* p = path)
        {
            if (LibC.stat(p, &status) != 0)
            {
                throw new InvalidOperationException($"stat {namespaceFile} failed: errno {Marshal.GetLastPInvokeError()}");
            }
        }

        return string.Create(CultureInfo.InvariantCulture, $"net:[{(ulong)status.st_ino}]");
    }

    private static string ReadLink(string path)
        => new FileInfo(path).LinkTarget ?? throw new InvalidOperationException($"{path} is not a link");
}
