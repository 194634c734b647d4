using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.SockDiag;

/// <summary>
/// <c>__u32 idiag_cookie[2]</c> of struct inet_diag_sockid: the kernel's identity of one socket, echoed back in a
/// SOCK_DESTROY request so that only that socket — not a newer one with the same addresses — is closed. Two 32-bit
/// words keep the struct's 4-byte alignment (a 64-bit field would move <c>id</c> in inet_diag_msg).
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagCookie
{
    /// <summary>sizeof(idiag_cookie).</summary>
    public const int Size = 8;

    private uint _low;
    private uint _high;

    /// <summary>INET_DIAG_NOCOOKIE in both words: matches any socket with the address tuple.</summary>
    public static InetDiagCookie None => new() { _low = SockDiagConstants.INET_DIAG_NOCOOKIE, _high = SockDiagConstants.INET_DIAG_NOCOOKIE };

    /// <summary>The cookie as one number, for logs (the kernel builds it from the two words, low first).</summary>
    public readonly ulong Value => ((ulong)_high << 32) | _low;
}
