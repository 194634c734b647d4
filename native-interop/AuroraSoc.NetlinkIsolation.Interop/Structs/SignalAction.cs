using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>struct sigaction (&lt;signal.h&gt;, glibc on x86-64): a signal's disposition, as sigaction(2) reads and sets it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct SignalAction
{
    public const int Size = 152;

    /// <summary>sa_handler: SIG_DFL (0), SIG_IGN (1) or a handler's address.</summary>
    public nint Handler;

    /// <summary>sa_mask: a sigset_t (1,024 bits in glibc).</summary>
    public fixed byte Mask[128];

    public int Flags;

    public nint Restorer;
}
