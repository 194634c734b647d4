using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Reads an allowlist one line at a time (never the whole file as one string): one peer per line — an address, a
/// prefix <c>A/P</c> or a range <c>A-B</c>, with a TCP port as <c>A:PORT</c>, <c>A/P:PORT</c>, <c>A-B:PORT</c> for IPv4 and
/// <c>[A]:PORT</c>, <c>[A/P]:PORT</c>, <c>[A-B]:PORT</c> for IPv6; <c>#</c> starts a comment; blank lines are skipped. Host
/// names are not accepted: a list of this size is data, not something to resolve.
/// </summary>
internal static class PeerListReader
{
    /// <summary>The most entries one list may hold; far above any real allowlist, it bounds memory on a runaway input.</summary>
    public const int MaxEntries = 2_000_000;

    /// <summary>The field name invalid input is reported under (the CLI option).</summary>
    public const string Field = "allow-peers-from";

    /// <summary>Every entry, in list order. A bad line throws naming <c>SOURCE:LINE</c> and the text; so does an empty list.</summary>
    public static List<PeerRange> Read(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var entries = new List<PeerRange>();
        int lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            ReadOnlySpan<char> text = line;
            int comment = text.IndexOf('#');
            if (comment >= 0)
            {
                text = text[..comment];
            }

            text = text.Trim();
            if (text.IsEmpty)
            {
                continue;
            }

            if (!TryParse(text, out PeerRange entry, out string? error))
            {
                throw new PolicyValidationException(Field, $"{source}:{lineNumber.ToString(CultureInfo.InvariantCulture)}", $"'{text}': {error}");
            }

            if (entries.Count == MaxEntries)
            {
                throw new PolicyValidationException(Field, $"{source}:{lineNumber.ToString(CultureInfo.InvariantCulture)}", $"more than {MaxEntries} peers");
            }

            entries.Add(entry);
        }

        return entries.Count == 0 ? throw new PolicyValidationException(Field, source, "the list holds no peer") : entries;
    }

    /// <summary>Parses and validates one entry (already trimmed, no comment).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out PeerRange entry, out string? error)
    {
        entry = default;
        ushort port = 0;
        ReadOnlySpan<char> body = text;
        if (body.StartsWith('['))
        {
            int close = body.IndexOf(']');
            if (close < 0 || !body[(close + 1)..].StartsWith(':'))
            {
                error = "a bracketed IPv6 peer needs ']:PORT' after it";
                return false;
            }

            if (!TryParsePort(body[(close + 2)..], out port, out error))
            {
                return false;
            }

            body = body[1..close];
            if (body.IndexOf(':') < 0)
            {
                error = "only IPv6 addresses stand in brackets";
                return false;
            }
        }
        else if (body.Count(':') == 1)
        {
            int colon = body.IndexOf(':');
            if (!TryParsePort(body[(colon + 1)..], out port, out error))
            {
                return false;
            }

            body = body[..colon];
        }

        int dash = body.IndexOf('-');
        int slash = body.IndexOf('/');
        if (dash >= 0 && slash >= 0)
        {
            error = "a range A-B cannot also have a prefix length";
            return false;
        }

        if (!TryParseAddress(dash >= 0 ? body[..dash] : slash >= 0 ? body[..slash] : body, out bool v6, out UInt128 first, out error))
        {
            return false;
        }

        UInt128 last = first;
        int bits = v6 ? 128 : 32;
        bool single = true;
        if (dash >= 0)
        {
            if (!TryParseAddress(body[(dash + 1)..], out bool endV6, out last, out error))
            {
                return false;
            }

            if (endV6 != v6)
            {
                error = "a range's two ends must be of one address family";
                return false;
            }

            if (last < first)
            {
                error = "a range's first address must not be above its last";
                return false;
            }

            single = first == last;
        }
        else if (slash >= 0)
        {
            ReadOnlySpan<char> prefixText = body[(slash + 1)..];
            if (prefixText.Length is 0 or > 3 || !int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) || prefix > bits)
            {
                error = $"prefix length '{prefixText}' is not 0..{bits}";
                return false;
            }

            UInt128 hostMask = prefix == 0 ? (v6 ? UInt128.MaxValue : uint.MaxValue) : prefix == bits ? 0 : (UInt128.One << (bits - prefix)) - 1;
            if ((first & hostMask) != 0)
            {
                error = "host bits are set";
                return false;
            }

            last = first | hostMask;
            single = prefix == bits;
        }

        entry = new PeerRange(v6, first, last, port);
        return Validate(entry, single, out error);
    }

    /// <summary>
    /// The address checks of <see cref="IsolationPolicy"/> for collectors and peers, applied to a range's first address, in
    /// integer arithmetic (no IPAddress per line: a 100,000-line list would allocate one each).
    /// </summary>
    private static bool Validate(PeerRange entry, bool single, out string? error)
    {
        UInt128 first = entry.First;
        error = null;
        if (single && first == 0)
        {
            error = "the unspecified address matches nothing useful; name a host or network";
        }
        else if (entry.IsIPv6 && first >> 32 == 0xffff)
        {
            error = "IPv4-mapped IPv6 addresses never appear on the wire; use the IPv4 form";
        }
        else if (entry.IsIPv6 ? first == 1 : first >> 24 == 127)
        {
            error = "loopback is always allowed and cannot be an allowed peer";
        }
        else if (entry.IsIPv6 ? first >> 120 == 0xff : first >> 28 == 0xe)
        {
            error = "multicast addresses cannot be collectors, peers or resolvers";
        }
        else if (!entry.IsIPv6 && single && first == uint.MaxValue)
        {
            error = "the broadcast address cannot be a collector, peer or resolver";
        }

        return error is null;
    }

    private static bool TryParseAddress(ReadOnlySpan<char> text, out bool v6, out UInt128 value, out string? error)
    {
        value = 0;
        error = null;
        v6 = text.IndexOf(':') >= 0;
        if (!v6)
        {
            // Dotted quads only: inet_aton shorthand ("10.1") is almost always a typing mistake.
            int octets = 0;
            int current = -1;
            foreach (char c in text)
            {
                if (c == '.')
                {
                    if (current < 0 || octets == 3)
                    {
                        current = -2;
                        break;
                    }

                    value = (value << 8) | (uint)current;
                    octets++;
                    current = -1;
                }
                else if (char.IsAsciiDigit(c) && (current = (current < 0 ? 0 : current * 10) + (c - '0')) <= 255)
                {
                    continue;
                }
                else
                {
                    current = -2;
                    break;
                }
            }

            if (octets != 3 || current < 0)
            {
                error = $"'{text}' is not an IPv4 or IPv6 address";
                return false;
            }

            value = (value << 8) | (uint)current;
            return true;
        }

        if (text.IndexOf('%') >= 0 || !IPAddress.TryParse(text, out IPAddress? address) || address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            error = $"'{text}' is not an IPv4 or IPv6 address";
            return false;
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        value = PeerRange.ToNumber(bytes);
        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out ushort port, out string? error)
    {
        port = 0;
        error = null;
        if (text.Length is 0 or > 5 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) || value is < 1 or > 65535)
        {
            error = $"port '{text}' is not 1..65535";
            return false;
        }

        port = (ushort)value;
        return true;
    }
}
