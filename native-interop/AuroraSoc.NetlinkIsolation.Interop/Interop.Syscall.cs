using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop;

internal static partial class Interop
{
    /// <summary>
    /// pidfd_open(2) (Linux 5.3). glibc 2.36 added a wrapper, but Debian 11's glibc has none, so it goes through
    /// syscall(2). Its number is the same on every architecture (asm-generic/unistd.h: new system calls since 5.1 share
    /// one table).
    /// </summary>
    public const long SYS_pidfd_open = 434;

    /// <summary>pidfd_send_signal(2) (Linux 5.1); signal 0 checks that the process still exists.</summary>
    public const long SYS_pidfd_send_signal = 424;

    /// <summary>syscall(2) with the arguments the pidfd calls take; returns -1 and sets errno on failure.</summary>
    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    internal static partial long Syscall(long number, long argument1, long argument2, long argument3, long argument4);
}
