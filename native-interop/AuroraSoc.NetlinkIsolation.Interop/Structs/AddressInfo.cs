using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Structs;

/// <summary>struct addrinfo (&lt;netdb.h&gt;, getaddrinfo(3)): one answer of the system resolver, linked to the next.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct AddressInfo
{
    public const int Size = 48;

    public int Flags;
    public int Family;
    public int SocketType;
    public int Protocol;
    public uint AddressLength;

    /// <summary>struct sockaddr *: sockaddr_in or sockaddr_in6, by <see cref="Family"/>.</summary>
    public nint Address;

    /// <summary>char *: only with AI_CANONNAME, which is not asked for.</summary>
    public nint CanonicalName;

    /// <summary>struct addrinfo *: the next answer, or null.</summary>
    public nint Next;
}
