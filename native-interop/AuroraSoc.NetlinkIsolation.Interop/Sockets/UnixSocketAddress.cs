using System.Text;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// struct sockaddr_un for a path, or for an abstract name written with a leading NUL (unix(7)): the address the
/// guard's hand-over socket and systemd's notify socket are reached at.
/// </summary>
internal static class UnixSocketAddress
{
    /// <summary>sun_path's capacity (unix(7): 108 bytes, a path needs its terminating NUL).</summary>
    public const int PathCapacity = 108;

    /// <summary>
    /// Fills <paramref name="address"/> and its length. Returns 0, or ENAMETOOLONG when the name does not fit, EINVAL
    /// when it is empty or (as a path) contains a NUL.
    /// </summary>
    public static unsafe int TryCreate(string name, out sockaddr_un address, out socklen_t length)
    {
        ArgumentNullException.ThrowIfNull(name);
        address = default;
        length = default;
        bool isAbstract = name.Length > 0 && name[0] == '\0';
        if (name.Length == 0 || (!isAbstract && name.Contains('\0', StringComparison.Ordinal)))
        {
            return Errno.EINVAL;
        }

        int byteCount = Encoding.UTF8.GetByteCount(name);
        // A path is NUL-terminated inside sun_path; an abstract name is exactly its bytes (length says where it ends).
        if (byteCount > (isAbstract ? PathCapacity : PathCapacity - 1))
        {
            return Errno.ENAMETOOLONG;
        }

        address.sun_family = LibC.AF_UNIX;
        fixed (sockaddr_un* pointer = &address)
        {
            Encoding.UTF8.GetBytes(name, new Span<byte>(pointer->sun_path, PathCapacity));
        }

        // offsetof(struct sockaddr_un, sun_path) + the name (+ its NUL for a path).
        length = (uint)(sizeof(sa_family_t) + byteCount + (isAbstract ? 0 : 1));
        return 0;
    }
}
