using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// A collector or allowed peer as an operator writes it (cli.md, ENDPOINT): an address <see cref="Isolation.Endpoint"/>
/// (<c>192.0.2.10</c>, <c>192.0.2.0/24</c>, <c>[2001:db8::10]:443</c>, ...) or a host name with an optional TCP port
/// (<c>edr.example.com</c>, <c>edr.example.com:6514</c>). A host name becomes endpoints only through
/// <see cref="HostNameResolution"/>, before anything is committed: the kernel only ever sees addresses.
/// </summary>
public sealed record EndpointSpecification
{
    /// <summary>The longest host name DNS can carry in text form (RFC 1035 §2.3.4: 255 octets on the wire).</summary>
    public const int MaxHostNameLength = 253;

    /// <summary>The longest label (RFC 1035 §2.3.4).</summary>
    public const int MaxLabelLength = 63;

    private EndpointSpecification(Endpoint? endpoint, string? hostName, int? port)
    {
        Endpoint = endpoint;
        HostName = hostName;
        Port = port;
    }

    /// <summary>The address endpoint; null when this is a host name.</summary>
    public Endpoint? Endpoint { get; }

    /// <summary>The host name as written (a trailing dot removed); null when this is an address endpoint.</summary>
    public string? HostName { get; }

    /// <summary>The TCP port every resolved address gets; null for any protocol and port.</summary>
    public int? Port { get; }

    /// <summary>True when this names a host to resolve rather than an address.</summary>
    public bool IsHostName => HostName is not null;

    /// <summary>The specification of an address endpoint, which needs no resolving.</summary>
    internal static EndpointSpecification ForAddress(Endpoint endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        return new EndpointSpecification(endpoint, null, endpoint.Port);
    }

    /// <summary>
    /// Parses an address endpoint or a host name with an optional <c>:PORT</c>. A host name is 1 to 253 characters of
    /// dot-separated labels, each 1 to 63 letters, digits, <c>-</c> or <c>_</c>, not starting or ending with <c>-</c>;
    /// its last label is not all digits (that is a mistyped IPv4 address: RFC 3696 §2). Says nothing about whether the
    /// name resolves.
    /// </summary>
    public static bool TryParse(string? text, out EndpointSpecification? specification, out string? error)
    {
        specification = null;
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "empty endpoint";
            return false;
        }

        string trimmed = text.Trim();
        if (LooksLikeAddress(trimmed))
        {
            if (!Isolation.Endpoint.TryParse(trimmed, out Endpoint? endpoint, out error))
            {
                return false;
            }

            specification = ForAddress(endpoint!);
            return true;
        }

        string name = trimmed;
        int? port = null;
        int colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            if (!Isolation.Endpoint.TryParsePort(trimmed[(colon + 1)..], out port, out error))
            {
                return false;
            }

            if (port is < 1 or > 65535)
            {
                error = $"port {port} is outside 1..65535";
                return false;
            }

            name = trimmed[..colon];
        }

        if (!IsValidHostName(name, out error))
        {
            return false;
        }

        specification = new EndpointSpecification(null, name.TrimEnd('.'), port);
        return true;
    }

    /// <summary>Parses an address endpoint or <c>NAME[:PORT]</c> (see <see cref="TryParse"/>).</summary>
    /// <exception cref="FormatException"><paramref name="text"/> is neither; the message says why.</exception>
    public static EndpointSpecification Parse(string text)
        => TryParse(text, out EndpointSpecification? specification, out string? error) ? specification! : throw new FormatException($"Invalid endpoint '{text}': {error}.");

    /// <summary>
    /// Resolves every distinct host name among <paramref name="specifications"/> with the system resolver (getaddrinfo:
    /// /etc/hosts, DNS), all at once, each bounded by the resolver's own timeouts, before anything is committed.
    /// Returns name → addresses: both families, duplicates removed, IPv4 first then IPv6, each ascending (cli.md,
    /// ENDPOINT); empty when there are no names. Record the map with the intent so a later restore needs no DNS.
    /// </summary>
    /// <exception cref="IsolationException">A name did not resolve, or resolved to no address (<see cref="IsolationErrorKind.HostNameUnresolved"/>); nothing changed.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ResolveNames(IEnumerable<EndpointSpecification> specifications)
        => HostNameResolution.ResolveNames(specifications);

    /// <summary>
    /// The endpoints <paramref name="specifications"/> stand for: addresses as they are, each host name replaced by
    /// one endpoint per address in <paramref name="resolvedNames"/> (from <see cref="ResolveNames"/> or an intent),
    /// with the name's port, standing where the name stood. Needs no resolver.
    /// </summary>
    /// <exception cref="ArgumentException">A host name has no entry in <paramref name="resolvedNames"/>, or an entry is not an address.</exception>
    public static IReadOnlyList<Endpoint> Expand(IEnumerable<EndpointSpecification> specifications, IReadOnlyDictionary<string, IReadOnlyList<string>> resolvedNames)
        => HostNameResolution.Expand(specifications, resolvedNames);

    /// <summary>The specification as written: the address endpoint, or <c>NAME[:PORT]</c>.</summary>
    public override string ToString() => HostName is null ? Endpoint!.ToString() : Port is null ? HostName : $"{HostName}:{Port.Value.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>
    /// True for text an operator meant as an address: brackets, a prefix, two or more colons (IPv6), or only digits
    /// and dots before an optional port. Everything else is read as a host name.
    /// </summary>
    private static bool LooksLikeAddress(string text)
    {
        if (text.StartsWith('[') || text.Contains('/', StringComparison.Ordinal) || text.AsSpan().Count(':') >= 2)
        {
            return true;
        }

        int colon = text.IndexOf(':', StringComparison.Ordinal);
        string host = colon < 0 ? text : text[..colon];
        return host.Length > 0 && IsDigitsAndDots(host);
    }

    private static bool IsDigitsAndDots(string text)
    {
        foreach (char c in text)
        {
            if (!char.IsAsciiDigit(c) && c != '.')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsValidHostName(string name, out string? error)
    {
        error = null;
        string withoutRoot = name.EndsWith('.') ? name[..^1] : name;
        if (withoutRoot.Length == 0)
        {
            error = "empty host name";
            return false;
        }

        if (withoutRoot.Length > MaxHostNameLength)
        {
            error = $"host name of {withoutRoot.Length} characters is longer than {MaxHostNameLength}";
            return false;
        }

        string[] labels = withoutRoot.Split('.');
        foreach (string label in labels)
        {
            if (label.Length == 0)
            {
                error = $"host name '{name}' has an empty label";
                return false;
            }

            if (label.Length > MaxLabelLength)
            {
                error = $"label '{label}' is longer than {MaxLabelLength} characters";
                return false;
            }

            int bad = label.AsSpan().IndexOfAnyExcept(HostNameCharacters);
            if (bad >= 0)
            {
                error = $"host name '{name}' contains '{label[bad]}'; only letters, digits, '-', '_' and '.' are allowed";
                return false;
            }

            if (label.StartsWith('-') || label.EndsWith('-'))
            {
                error = $"label '{label}' starts or ends with '-'";
                return false;
            }
        }

        if (!labels[^1].AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            error = $"'{name}' is neither a host name (its last label is all digits) nor an IPv4 address";
            return false;
        }

        return true;
    }

    private static readonly System.Buffers.SearchValues<char> HostNameCharacters =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
}
