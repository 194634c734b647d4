using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// An address or prefix, with an optional TCP port: <c>192.0.2.10</c>, <c>192.0.2.0/24</c>, <c>192.0.2.10:443</c>,
/// <c>2001:db8::10</c>, <c>2001:db8::/64</c>, <c>[2001:db8::10]:443</c>, <c>[2001:db8::/64]:443</c>.
/// </summary>
public sealed record Endpoint
{
    /// <summary>An endpoint for <paramref name="address"/>; a prefix length names a network, a port limits it to TCP to that port.</summary>
    /// <param name="address">An IPv4 or IPv6 address (the network address when a prefix is given).</param>
    /// <param name="prefixLength">The prefix length; null (or the full length, 32 or 128) for a single host.</param>
    /// <param name="port">The TCP port; null for any protocol and port.</param>
    public Endpoint(IPAddress address, int? prefixLength = null, int? port = null)
    {
        ArgumentNullException.ThrowIfNull(address);
        Address = address;
        PrefixLength = prefixLength ?? FullLength(address);
        HasPrefix = prefixLength is not null && prefixLength != FullLength(address);
        Port = port;
    }

    /// <summary>The address, or the network address of a prefix.</summary>
    public IPAddress Address { get; }

    /// <summary>32 or 128 for a single host.</summary>
    public int PrefixLength { get; }

    /// <summary>True when this names a network rather than a single host.</summary>
    public bool HasPrefix { get; }

    /// <summary>TCP port; null means any protocol and port.</summary>
    public int? Port { get; }

    /// <summary>True for an IPv6 address or prefix.</summary>
    internal bool IsIPv6 => Address.AddressFamily == AddressFamily.InterNetworkV6;

    /// <summary>The prefix length of a single host of <paramref name="address"/>'s family: 32 for IPv4, 128 for IPv6.</summary>
    internal static int FullLength(IPAddress address) => address.AddressFamily == AddressFamily.InterNetworkV6 ? 128 : 32;

    /// <summary>Parses the CLI syntax; does not judge whether the endpoint is allowed (see <see cref="IsolationPolicy"/>).</summary>
    public static bool TryParse(string? text, out Endpoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty endpoint";
            return false;
        }

        string hostPart = text.Trim();
        int? port = null;
        if (hostPart.StartsWith('['))
        {
            int close = hostPart.IndexOf(']', StringComparison.Ordinal);
            if (close < 0)
            {
                error = "missing ']' after a bracketed IPv6 address";
                return false;
            }

            string rest = hostPart[(close + 1)..];
            hostPart = hostPart[1..close];
            if (rest.Length > 0)
            {
                if (!rest.StartsWith(':') || !TryParsePort(rest[1..], out port, out error))
                {
                    error ??= $"unexpected '{rest}' after ']' (expected :PORT)";
                    return false;
                }
            }
        }
        else if (hostPart.AsSpan().Count(':') == 1)
        {
            // IPv4 with a port: a bare IPv6 address has at least two colons and takes a port only in brackets.
            int colon = hostPart.IndexOf(':', StringComparison.Ordinal);
            if (!TryParsePort(hostPart[(colon + 1)..], out port, out error))
            {
                return false;
            }

            hostPart = hostPart[..colon];
        }

        int? prefix = null;
        int slash = hostPart.IndexOf('/', StringComparison.Ordinal);
        string addressText = slash < 0 ? hostPart : hostPart[..slash];
        if (addressText.Contains('%', StringComparison.Ordinal))
        {
            error = $"'{addressText}' has a zone index, which nf_tables cannot match";
            return false;
        }

        if (!IPAddress.TryParse(addressText, out IPAddress? address) || !IsCanonicalForm(addressText, address))
        {
            error = $"'{addressText}' is not an IPv4 or IPv6 address";
            return false;
        }

        if (slash >= 0)
        {
            string prefixText = hostPart[(slash + 1)..];
            if (!int.TryParse(prefixText, NumberStyles.None, CultureInfo.InvariantCulture, out int parsed) || prefixText.Length > 3)
            {
                error = $"prefix length '{prefixText}' is not a number";
                return false;
            }

            prefix = parsed;
        }

        endpoint = new Endpoint(address, prefix ?? FullLength(address), port);
        if (prefix is not null && (prefix < 0 || prefix > FullLength(address)))
        {
            endpoint = null;
            error = $"prefix length /{prefix} is outside 1..{FullLength(address)}";
            return false;
        }

        return true;
    }

    /// <summary>Parses the CLI syntax (see <see cref="TryParse"/>).</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is not an endpoint; the message says why.</exception>
    public static Endpoint Parse(string text)
        => TryParse(text, out Endpoint? endpoint, out string? error) ? endpoint! : throw new FormatException($"Invalid endpoint '{text}': {error}.");

    /// <summary>The endpoint in the syntax <see cref="Parse"/> reads, e.g. <c>[2001:db8::10]:443</c>.</summary>
    public override string ToString()
    {
        string address = HasPrefix ? $"{Address}/{PrefixLength}" : Address.ToString();
        return Port is null ? address : IsIPv6 ? $"[{address}]:{Port}" : $"{address}:{Port}";
    }

    internal static bool TryParsePort(string text, out int? port, out string? error)
    {
        port = null;
        error = null;
        if (text.Length == 0 || text.Length > 5 || !int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value))
        {
            error = $"port '{text}' is not a number";
            return false;
        }

        port = value;
        return true;
    }

    // IPAddress.TryParse accepts shorthand such as "10" or "10.1" (inet_aton forms); an operator typing those
    // almost certainly made a mistake, so only dotted quads are IPv4 here.
    private static bool IsCanonicalForm(string text, IPAddress address)
        => address.AddressFamily == AddressFamily.InterNetworkV6 || (text.AsSpan().Count('.') == 3 && !text.Contains("0x", StringComparison.OrdinalIgnoreCase));
}
