using System.Net;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// getaddrinfo(3) with AF_UNSPEC: the system resolver, as every program on the host uses it — /etc/hosts, DNS, whatever
/// nsswitch.conf names — bounded by its own timeouts (resolv.conf). Synchronous: a lookup is one call that blocks.
/// </summary>
internal static partial class SystemResolver
{
    /// <summary>
    /// Every IPv4 and IPv6 address of <paramref name="hostName"/>, in the resolver's order (duplicates possible).
    /// Returns 0 or a getaddrinfo error code (<see cref="AddressInfoConstants"/>); for EAI_SYSTEM,
    /// <paramref name="errno"/> says which system error.
    /// </summary>
    public static unsafe int TryResolve(string hostName, out IPAddress[] addresses, out int errno)
    {
        ArgumentException.ThrowIfNullOrEmpty(hostName);
        addresses = [];
        errno = 0;
        AddressInfo hints = default;
        hints.Family = LibC.AF_UNSPEC;

        // One socket type, or glibc answers each address once per type (stream, datagram, raw).
        hints.SocketType = LibC.SOCK_STREAM;
        AddressInfo* first = null;
        int result = GetAddressInfo(hostName, null, &hints, &first);
        if (result != 0)
        {
            errno = result == AddressInfoConstants.EAI_SYSTEM ? Marshal.GetLastPInvokeError() : 0;
            return result;
        }

        try
        {
            var found = new List<IPAddress>();
            for (AddressInfo* answer = first; answer != null; answer = (AddressInfo*)answer->Next)
            {
                if (answer->Family == LibC.AF_INET && answer->AddressLength >= (uint)sizeof(sockaddr_in))
                {
                    var address = (sockaddr_in*)answer->Address;
                    found.Add(new IPAddress(new ReadOnlySpan<byte>(address->sin_addr.s_addr, 4)));
                }
                else if (answer->Family == LibC.AF_INET6 && answer->AddressLength >= (uint)sizeof(sockaddr_in6))
                {
                    var address = (sockaddr_in6*)answer->Address;
                    found.Add(new IPAddress(new ReadOnlySpan<byte>(address->sin6_addr.s6_addr, 16), address->sin6_scope_id));
                }
            }

            addresses = [.. found];
            return 0;
        }
        finally
        {
            FreeAddressInfo(first);
        }
    }

    /// <summary>The C library's text for a getaddrinfo error code, e.g. "Name or service not known" (gai_strerror(3)).</summary>
    public static string Describe(int code) => Marshal.PtrToStringUTF8(GetErrorText(code)) ?? $"getaddrinfo error {code}";

    [LibraryImport("libc", EntryPoint = "getaddrinfo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static unsafe partial int GetAddressInfo(string node, byte* service, AddressInfo* hints, AddressInfo** result);

    [LibraryImport("libc", EntryPoint = "freeaddrinfo")]
    private static unsafe partial void FreeAddressInfo(AddressInfo* addresses);

    [LibraryImport("libc", EntryPoint = "gai_strerror")]
    private static partial nint GetErrorText(int code);
}
