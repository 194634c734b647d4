using System.Globalization;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using Microsoft.Win32.SafeHandles;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>
/// Which network namespace something is in, as the inode number of its nsfs file: the N that
/// <c>readlink /proc/PID/ns/net</c> prints as <c>net:[N]</c>. Two nsfs files name the same namespace exactly when
/// their inodes are equal (namespaces(7)), so this number is what every "is it the throwaway one, not ours?" check
/// compares.
/// </summary>
public static class NetworkNamespaceInode
{
    /// <summary>SIOCGSKNS (&lt;linux/sockios.h&gt;, Linux 4.9): a new descriptor for the socket's network namespace.</summary>
    private const int SIOCGSKNS = 0x894C;

    /// <summary>The namespace of the calling thread (setns(2) switches threads, not processes).</summary>
    public static ulong OfCurrentThread() => OfLink("/proc/thread-self/ns/net");

    /// <summary>The namespace of this process (that of its main thread).</summary>
    public static ulong OfProcess() => OfLink("/proc/self/ns/net");

    /// <summary>The namespace of process <paramref name="pid"/>.</summary>
    public static ulong OfProcess(int pid) => OfLink(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}/ns/net"));

    /// <summary>The namespace an nsfs file names: a <c>/run/netns/NAME</c> bind mount or a <c>/proc/…/ns/net</c> link.</summary>
    public static ulong OfFile(string namespacePath)
    {
        ArgumentException.ThrowIfNullOrEmpty(namespacePath);

        // A bind mount is no symbolic link to read, so the inode comes from the open descriptor's fdinfo
        // (proc(5): "ino", Linux 5.14). Older kernels: enter the namespace and read the thread's own link.
        using (SafeFileHandle file = File.OpenHandle(namespacePath, FileMode.Open, FileAccess.Read))
        {
            string fdinfo = File.ReadAllText(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fdinfo/{file.DangerousGetHandle()}"));
            foreach (string line in fdinfo.Split('\n'))
            {
                if (line.StartsWith("ino:", StringComparison.Ordinal))
                {
                    return ulong.Parse(line.AsSpan(4).Trim(), NumberStyles.None, CultureInfo.InvariantCulture);
                }
            }
        }

        return NamespaceThread.Run(namespacePath, OfCurrentThread);
    }

    /// <summary>The namespace a socket belongs to (the namespace of the thread that created it, for life).</summary>
    public static ulong OfSocket(SafeHandle socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        int namespaceFd = LibC.ioctl((int)socket.DangerousGetHandle(), SIOCGSKNS);
        if (namespaceFd < 0)
        {
            throw new IOException($"ioctl(SIOCGSKNS) failed with {Errno.Name(Marshal.GetLastPInvokeError())}");
        }

        try
        {
            return OfLink(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{namespaceFd}"));
        }
        finally
        {
            _ = LibC.close(namespaceFd);
        }
    }

    /// <summary>The inode as a <c>/proc/…/ns/net</c> link spells it: <c>net:[4026531840]</c>.</summary>
    public static string Format(ulong inode) => string.Create(CultureInfo.InvariantCulture, $"net:[{inode}]");

    private static ulong OfLink(string link)
    {
        string target = new FileInfo(link).LinkTarget ?? throw new IOException($"{link} is not a namespace link");
        int open = target.IndexOf('[', StringComparison.Ordinal);
        int close = target.IndexOf(']', StringComparison.Ordinal);
        if (!target.StartsWith("net:", StringComparison.Ordinal) || open < 0 || close <= open)
        {
            throw new IOException($"{link} points at '{target}', not a network namespace");
        }

        return ulong.Parse(target.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
