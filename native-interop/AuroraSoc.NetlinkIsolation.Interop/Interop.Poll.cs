using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop;

internal static partial class Interop
{
    /// <summary>
    /// poll(2). Declared here because Tmds.LibC 0.5.0 binds poll without SetLastError, so its errno
    /// (EINTR above all) would be lost.
    /// </summary>
    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    internal static unsafe partial int Poll(pollfd* fds, nuint count, int timeoutMilliseconds);
}
