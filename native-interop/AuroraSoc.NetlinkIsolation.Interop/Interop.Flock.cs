using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop;

internal static partial class Interop
{
    /// <summary>flock(2): LOCK_EX = 2, LOCK_UN = 8 (&lt;sys/file.h&gt;). Tmds.LibC 0.5.0 does not bind flock.</summary>
    internal const int LOCK_EX = 2;

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    internal static partial int Flock(int fd, int operation);
}
