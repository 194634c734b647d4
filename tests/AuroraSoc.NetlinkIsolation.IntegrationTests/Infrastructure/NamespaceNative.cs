using System.Globalization;
using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

/// <summary>The two libc calls needed to move the calling thread into a network namespace.</summary>
internal static partial class NamespaceNative
{
    private const int ORdOnly = 0x0;
    private const int OCloExec = 0x80000;
    private const int CloneNewNet = 0x40000000;

    /// <summary>Moves the <em>calling thread</em> (only) into the network namespace at <paramref name="path"/>.
    /// Must only ever be called on a dedicated thread that ends afterwards.</summary>
    public static void EnterNetworkNamespace(string path)
    {
        var fd = Open(path, ORdOnly | OCloExec);
        if (fd < 0)
        {
            throw Failure($"open({path})", Marshal.GetLastPInvokeError());
        }

        try
        {
            if (SetNs(fd, CloneNewNet) != 0)
            {
                throw Failure($"setns({path}, CLONE_NEWNET)", Marshal.GetLastPInvokeError());
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    /// <summary>The inode of the network namespace the calling thread is in (the number in <c>net:[N]</c>).</summary>
    public static ulong CurrentThreadNetworkNamespaceInode() => NamespaceLinkInode("/proc/thread-self/ns/net");

    /// <summary>Parses the inode out of a <c>/proc/…/ns/net</c> link (<c>net:[4026531840]</c>).</summary>
    public static ulong NamespaceLinkInode(string link)
    {
        var target = new FileInfo(link).LinkTarget
            ?? throw new IOException($"{link} is not a namespace link");
        var open = target.IndexOf('[', StringComparison.Ordinal);
        var close = target.IndexOf(']', StringComparison.Ordinal);
        if (!target.StartsWith("net:", StringComparison.Ordinal) || open < 0 || close <= open)
        {
            throw new IOException($"{link} points at unexpected '{target}'");
        }

        return ulong.Parse(target.AsSpan(open + 1, close - open - 1), NumberStyles.None, CultureInfo.InvariantCulture);
    }

    private static IOException Failure(string call, int errno) =>
        new($"{call} failed: errno {errno} ({Marshal.GetPInvokeErrorMessage(errno)})");

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
