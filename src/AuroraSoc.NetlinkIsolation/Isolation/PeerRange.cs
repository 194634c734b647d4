using System.Globalization;
using System.Net;
using System.Text;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// One allowed peer as an inclusive address range of one family, with an optional TCP port (0: any protocol and port).
/// An IPv4 address is held in the low 32 bits. Prefixes and single addresses are ranges too, so the allowlist merges
/// them all in one arithmetic.
/// </summary>
internal readonly record struct PeerRange(bool IsIPv6, UInt128 First, UInt128 Last, ushort Port) : IComparable<PeerRange>
{
    public int AddressBits => IsIPv6 ? 128 : 32;

    public UInt128 FamilyMaximum => IsIPv6 ? UInt128.MaxValue : uint.MaxValue;

    /// <summary>True when the range is exactly one prefix (a single address included).</summary>
    public bool IsPrefix => PrefixLength >= 0;

    /// <summary>The prefix length when the range is exactly one prefix, else -1.</summary>
    public int PrefixLength
    {
        get
        {
            UInt128 size = Last - First + 1;
            if (size == 0)
            {
                return First == 0 && Last == UInt128.MaxValue ? 0 : -1; // all of IPv6 wraps to 0
            }

            if (!UInt128.IsPow2(size) || (First & (size - 1)) != 0)
            {
                return -1;
            }

            return AddressBits - (int)UInt128.Log2(size);
        }
    }

    /// <summary>Ascending: family (IPv4 first), then first address, then port.</summary>
    public int CompareTo(PeerRange other)
    {
        int order = IsIPv6.CompareTo(other.IsIPv6);
        if (order == 0)
        {
            order = First.CompareTo(other.First);
        }

        return order != 0 ? order : Port.CompareTo(other.Port);
    }

    public static PeerRange FromEndpoint(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        bool v6 = endpoint.IsIPv6;
        UInt128 first = ToNumber(endpoint.Address.GetAddressBytes());
        int hostBits = (v6 ? 128 : 32) - endpoint.PrefixLength;
        UInt128 hostMask = hostBits == 0 ? 0 : hostBits == 128 ? UInt128.MaxValue : (UInt128.One << hostBits) - 1;
        return new PeerRange(v6, first & ~hostMask, first | hostMask, (ushort)(endpoint.Port ?? 0));
    }

    /// <summary>The endpoint this range is, when it is one prefix (the ≤ 8 peers that stay rules).</summary>
    public Endpoint ToEndpoint()
    {
        int prefix = PrefixLength;
        if (prefix < 0)
        {
            throw new InvalidOperationException($"{this} is not one prefix");
        }

        return new Endpoint(new IPAddress(AddressBytes(First)), prefix == AddressBits ? null : prefix, Port == 0 ? null : Port);
    }

    /// <summary>The address's bytes in network order: 4 for IPv4, 16 for IPv6.</summary>
    public byte[] AddressBytes(UInt128 address)
    {
        byte[] bytes = new byte[IsIPv6 ? 16 : 4];
        WriteAddress(address, bytes);
        return bytes;
    }

    public void WriteAddress(UInt128 address, Span<byte> destination)
    {
        for (int i = (IsIPv6 ? 16 : 4) - 1; i >= 0; i--)
        {
            destination[i] = (byte)address;
            address >>= 8;
        }
    }

    public static UInt128 ToNumber(ReadOnlySpan<byte> bytes)
    {
        UInt128 value = 0;
        foreach (byte b in bytes)
        {
            value = (value << 8) | b;
        }

        return value;
    }

    /// <summary>
    /// The allowlist file's syntax, as <c>nft</c> would print the range: one address bare, one prefix as a prefix, else
    /// <c>FIRST-LAST</c>; a port as <c>A:PORT</c> (IPv4) or <c>[A]:PORT</c> (IPv6). Read back by <see cref="PeerListReader"/>.
    /// </summary>
    public override string ToString()
    {
        var text = new StringBuilder(IsIPv6 ? 48 : 24);
        if (IsIPv6 && Port != 0)
        {
            text.Append('[');
        }

        Span<byte> bytes = stackalloc byte[16];
        Span<byte> address = bytes[..(IsIPv6 ? 16 : 4)];
        WriteAddress(First, address);
        InetAddressText.Append(text, address);
        int prefix = PrefixLength;
        if (prefix < 0)
        {
            WriteAddress(Last, address);
            text.Append('-');
            InetAddressText.Append(text, address);
        }
        else if (prefix != AddressBits)
        {
            text.Append('/').Append(prefix.ToString(CultureInfo.InvariantCulture));
        }

        if (Port != 0)
        {
            text.Append(IsIPv6 ? "]:" : ":").Append(Port.ToString(CultureInfo.InvariantCulture));
        }

        return text.ToString();
    }
}
