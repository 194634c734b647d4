using System.Globalization;
using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop;

/// <summary>
/// The errno values this project meets, as constants usable in switch statements (Tmds.LibC exposes them only as
/// properties). Values are Linux's asm-generic ones (&lt;asm-generic/errno-base.h&gt;, &lt;asm-generic/errno.h&gt;),
/// shared by x86, x86-64, ARM, arm64, RISC-V and s390; alpha, MIPS, PA-RISC and SPARC differ and are not supported.
/// </summary>
internal static class Errno
{
    public const int EPERM = 1;
    public const int ENOENT = 2;
    public const int ESRCH = 3;
    public const int EINTR = 4;
    public const int EIO = 5;
    public const int E2BIG = 7;
    public const int EBADF = 9;
    public const int EAGAIN = 11;
    public const int EWOULDBLOCK = EAGAIN;
    public const int ENOMEM = 12;
    public const int EACCES = 13;
    public const int EFAULT = 14;
    public const int EBUSY = 16;
    public const int EEXIST = 17;
    public const int ENODEV = 19;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENFILE = 23;
    public const int EMFILE = 24;
    public const int ENOTTY = 25;
    public const int ENOSPC = 28;
    public const int EMLINK = 31;
    public const int EPIPE = 32;
    public const int ERANGE = 34;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;
    public const int EPROTO = 71;
    public const int EOVERFLOW = 75;

    /// <summary>Kernel-internal "restart the syscall"; nf_tables reports it when the ruleset generation changed mid-batch.</summary>
    public const int ERESTART = 85;
    public const int ENOTSOCK = 88;
    public const int EMSGSIZE = 90;
    public const int ENOPROTOOPT = 92;
    public const int EPROTONOSUPPORT = 93;
    public const int EOPNOTSUPP = 95;
    public const int ENOTSUP = EOPNOTSUPP;
    public const int EAFNOSUPPORT = 97;
    public const int EADDRINUSE = 98;
    public const int EADDRNOTAVAIL = 99;
    public const int ENETUNREACH = 101;
    public const int ECONNRESET = 104;
    public const int ENOBUFS = 105;
    public const int ETIMEDOUT = 110;
    public const int ECONNREFUSED = 111;
    public const int EHOSTUNREACH = 113;
    public const int EINPROGRESS = 115;

    /// <summary>The symbolic name, e.g. "EPERM"; "errno 123" for a value not declared here. Aliases give the primary name.</summary>
    public static string Name(int errno) => errno switch
    {
        EPERM => nameof(EPERM),
        ENOENT => nameof(ENOENT),
        ESRCH => nameof(ESRCH),
        EINTR => nameof(EINTR),
        EIO => nameof(EIO),
        E2BIG => nameof(E2BIG),
        EBADF => nameof(EBADF),
        EAGAIN => nameof(EAGAIN),
        ENOMEM => nameof(ENOMEM),
        EACCES => nameof(EACCES),
        EFAULT => nameof(EFAULT),
        EBUSY => nameof(EBUSY),
        EEXIST => nameof(EEXIST),
        ENODEV => nameof(ENODEV),
        ENOTDIR => nameof(ENOTDIR),
        EISDIR => nameof(EISDIR),
        EINVAL => nameof(EINVAL),
        ENFILE => nameof(ENFILE),
        EMFILE => nameof(EMFILE),
        ENOTTY => nameof(ENOTTY),
        ENOSPC => nameof(ENOSPC),
        EMLINK => nameof(EMLINK),
        EPIPE => nameof(EPIPE),
        ERANGE => nameof(ERANGE),
        ENAMETOOLONG => nameof(ENAMETOOLONG),
        ENOSYS => nameof(ENOSYS),
        ELOOP => nameof(ELOOP),
        EPROTO => nameof(EPROTO),
        EOVERFLOW => nameof(EOVERFLOW),
        ERESTART => nameof(ERESTART),
        ENOTSOCK => nameof(ENOTSOCK),
        EMSGSIZE => nameof(EMSGSIZE),
        ENOPROTOOPT => nameof(ENOPROTOOPT),
        EPROTONOSUPPORT => nameof(EPROTONOSUPPORT),
        EOPNOTSUPP => nameof(EOPNOTSUPP),
        EAFNOSUPPORT => nameof(EAFNOSUPPORT),
        EADDRINUSE => nameof(EADDRINUSE),
        EADDRNOTAVAIL => nameof(EADDRNOTAVAIL),
        ENETUNREACH => nameof(ENETUNREACH),
        ECONNRESET => nameof(ECONNRESET),
        ENOBUFS => nameof(ENOBUFS),
        ETIMEDOUT => nameof(ETIMEDOUT),
        ECONNREFUSED => nameof(ECONNREFUSED),
        EHOSTUNREACH => nameof(EHOSTUNREACH),
        EINPROGRESS => nameof(EINPROGRESS),
        _ => string.Create(CultureInfo.InvariantCulture, $"errno {errno}"),
    };

    /// <summary>The C library's text for <paramref name="errno"/>, e.g. "Operation not permitted" (strerror_r(3), thread-safe).</summary>
    public static unsafe string Describe(int errno)
    {
        // Tmds.LibC binds the XSI variant (__xpg_strerror_r), which always fills the buffer, even for unknown
        // values ("Unknown error 123", returning EINVAL). 256 bytes is glibc's own strerror buffer size.
        const int bufferSize = 256;
        byte* buffer = stackalloc byte[bufferSize];
        buffer[0] = 0;
        _ = LibC.strerror_r(errno, buffer, bufferSize);
        return buffer[0] != 0
            ? Marshal.PtrToStringUTF8((nint)buffer)!
            : string.Create(CultureInfo.InvariantCulture, $"Unknown error {errno}");
    }
}
