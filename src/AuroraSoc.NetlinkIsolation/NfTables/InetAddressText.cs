using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Addresses as nft prints them: IPv4 dotted quads, IPv6 as glibc's <c>inet_ntop</c> writes it (resolv/inet_ntop.c:
/// the first longest run of two or more zero groups becomes <c>::</c>; an address whose first 96 bits are zero, or
/// which is <c>::ffff:0:0/96</c>, ends in a dotted quad). .NET's own formatting differs in those corners.
/// </summary>
internal static class InetAddressText
{
    public static void AppendIPv4(StringBuilder text, ReadOnlySpan<byte> address)
        => text.Append(address[0]).Append('.').Append(address[1]).Append('.').Append(address[2]).Append('.').Append(address[3]);

    public static void AppendIPv6(StringBuilder text, ReadOnlySpan<byte> address)
    {
        Span<int> words = stackalloc int[8];
        for (int i = 0; i < 8; i++)
        {
            words[i] = (address[2 * i] << 8) | address[(2 * i) + 1];
        }

        int bestBase = -1, bestLength = 0, currentBase = -1, currentLength = 0;
        for (int i = 0; i < 8; i++)
        {
            if (words[i] == 0)
            {
                if (currentBase == -1)
                {
                    currentBase = i;
                    currentLength = 0;
                }

                currentLength++;
                if (currentLength > bestLength && currentLength >= 2)
                {
                    bestBase = currentBase;
                    bestLength = currentLength;
                }
            }
            else
            {
                currentBase = -1;
            }
        }

        for (int i = 0; i < 8; i++)
        {
            if (bestBase != -1 && i >= bestBase && i < bestBase + bestLength)
            {
                if (i == bestBase)
                {
                    text.Append(':');
                }

                continue;
            }

            if (i != 0)
            {
                text.Append(':');
            }

            if (i == 6 && bestBase == 0 && (bestLength == 6 || (bestLength == 5 && words[5] == 0xffff)))
            {
                AppendIPv4(text, address[12..]);
                return;
            }

            text.Append(words[i].ToString("x", CultureInfo.InvariantCulture));
        }

        if (bestBase != -1 && bestBase + bestLength == 8)
        {
            text.Append(':');
        }
    }

    /// <summary>An IPv4 (4 bytes) or IPv6 (16 bytes) address; any other length (a key this project did not write) as hex.</summary>
    public static void Append(StringBuilder text, ReadOnlySpan<byte> address)
    {
        switch (address.Length)
        {
            case 4:
                AppendIPv4(text, address);
                break;
            case 16:
                AppendIPv6(text, address);
                break;
            default:
                text.Append("0x").Append(Convert.ToHexStringLower(address));
                break;
        }
    }

    public static string Format(ReadOnlySpan<byte> address)
    {
        var text = new StringBuilder(40);
        Append(text, address);
        return text.ToString();
    }
}
