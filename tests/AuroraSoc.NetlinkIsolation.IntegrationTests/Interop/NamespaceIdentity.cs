using System.Globalization;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>Which network namespace a thread or a socket is in, as "net:[inode]" (the target of a /proc ns link).</summary>
internal static class NamespaceIdentity
{
    /// <summary>SIOCGSKNS (&lt;linux/sockios.h&gt;, Linux 4.9): returns a new descriptor for the socket's network namespace.</summary>
    private const int SIOCGSKNS = 0x894C;

    /// <summary>The calling thread's network namespace. Call it and the code it brackets without awaiting in between.</summary>
    public static string OfCurrentThread() => ReadLink("/proc/thread-self/ns/net");

    public static string OfSocket(NetlinkSocketHandle socket)
    {
        int namespaceFd = LibC.ioctl((int)socket.DangerousGetHandle(), SIOCGSKNS);
        Assert.True(namespaceFd >= 0, $"ioctl(SIOCGSKNS) failed with {Errno.Name(Marshal.GetLastPInvokeError())}");
        try
        {
            return ReadLink(string.Create(CultureInfo.InvariantCulture, $"/proc/self/fd/{namespaceFd}"));
        }
        finally
        {
            _ = LibC.close(namespaceFd);
        }
    }

    private static string ReadLink(string path) =>
        new FileInfo(path).LinkTarget ?? throw new InvalidOperationException($"{path} is not a symbolic link");
}
