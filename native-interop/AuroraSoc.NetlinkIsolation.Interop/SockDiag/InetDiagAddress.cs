using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.SockDiag;

/// <summary>
/// <c>__be32 idiag_src[4]</c> / <c>idiag_dst[4]</c> of struct inet_diag_sockid: an address in network byte order, an
/// IPv4 address in the first 4 bytes. Opaque here; read and written as bytes.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct InetDiagAddress
{
    /// <summary>sizeof(idiag_src).</summary>
    public const int Size = 16;

    private readonly uint _word0;
    private readonly uint _word1;
    private readonly uint _word2;
    private readonly uint _word3;

    /// <summary>The address from its network-order bytes (4 for IPv4, 16 for IPv6); the rest stays zero.</summary>
    public static InetDiagAddress FromBytes(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length is not (4 or Size))
        {
            throw new ArgumentException($"an address has 4 or {Size} bytes, not {bytes.Length}", nameof(bytes));
        }

        Span<byte> all = stackalloc byte[Size];
        all.Clear();
        bytes.CopyTo(all);
        return MemoryMarshal.Read<InetDiagAddress>(all);
    }

    /// <summary>Copies the 16 bytes, network order, into <paramref name="destination"/>.</summary>
    public readonly void CopyTo(Span<byte> destination) => MemoryMarshal.Write(destination, in this);
}
