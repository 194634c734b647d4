using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Looks up every address of a host name: the system resolver (getaddrinfo) unless a test supplies another. A name
/// that does not resolve throws <see cref="IsolationException"/> (<see cref="IsolationErrorKind.HostNameUnresolved"/>).
/// </summary>
internal delegate IPAddress[] HostAddressLookup(string hostName);

/// <summary>
/// Turns host-name endpoints into address endpoints (cli.md, ENDPOINT), before anything is committed. Every address
/// a name resolves to is used — both families, duplicates removed, IPv4 first then IPv6, each in ascending numeric
/// order — and stands where the name stood, with the name's port. The addresses are returned as a map name →
/// addresses, which is what an intent records so that a later restore needs no DNS (<see cref="Expand"/>).
/// </summary>
internal static class HostNameResolution
{
    /// <summary>getaddrinfo(3) with AF_UNSPEC (<see cref="Interop.Sockets.SystemResolver"/>): /etc/hosts, DNS, whatever nsswitch.conf says.</summary>
    internal static HostAddressLookup SystemLookup { get; } = static name =>
    {
        int code = Interop.Sockets.SystemResolver.TryResolve(name, out IPAddress[] addresses, out int errno);
        return code == 0 ? addresses : throw IsolationException.HostNameUnresolved(name, Describe(code, errno), null);
    };

    /// <summary>
    /// Resolves every distinct host name among <paramref name="specifications"/>, one after another (a policy names a
    /// few), each bounded by the resolver's own timeouts (resolv.conf). Returns name → addresses in the order described
    /// above; empty when there are no names.
    /// </summary>
    /// <exception cref="IsolationException">A name did not resolve, or resolved to no address.</exception>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ResolveNames(IEnumerable<EndpointSpecification> specifications)
        => ResolveNames(specifications, SystemLookup);

    /// <summary>As <see cref="ResolveNames(IEnumerable{EndpointSpecification})"/> with another resolver (tests script one).</summary>
    internal static IReadOnlyDictionary<string, IReadOnlyList<string>> ResolveNames(IEnumerable<EndpointSpecification> specifications, HostAddressLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(specifications);
        ArgumentNullException.ThrowIfNull(lookup);
        var names = new List<string>();
        foreach (EndpointSpecification specification in specifications)
        {
            if (specification.IsHostName && !names.Contains(specification.HostName!))
            {
                names.Add(specification.HostName!);
            }
        }

        var resolved = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (string name in names)
        {
            resolved[name] = ResolveOne(name, lookup);
        }

        return resolved;
    }

    /// <summary>
    /// The endpoints <paramref name="specifications"/> stand for: address endpoints as they are, each host name
    /// replaced by one endpoint per address in <paramref name="resolvedNames"/> (from <see cref="ResolveNames(IEnumerable{EndpointSpecification})"/>, or
    /// recorded in an intent), with the name's port. Needs no resolver.
    /// </summary>
    /// <exception cref="ArgumentException">A host name has no entry in <paramref name="resolvedNames"/>, or an entry is not an address.</exception>
    public static IReadOnlyList<Endpoint> Expand(IEnumerable<EndpointSpecification> specifications, IReadOnlyDictionary<string, IReadOnlyList<string>> resolvedNames)
    {
        ArgumentNullException.ThrowIfNull(specifications);
        ArgumentNullException.ThrowIfNull(resolvedNames);
        var endpoints = new List<Endpoint>();
        foreach (EndpointSpecification specification in specifications)
        {
            if (!specification.IsHostName)
            {
                endpoints.Add(specification.Endpoint!);
                continue;
            }

            if (!resolvedNames.TryGetValue(specification.HostName!, out IReadOnlyList<string>? addresses))
            {
                throw new ArgumentException($"no addresses recorded for host name '{specification.HostName}'", nameof(resolvedNames));
            }

            foreach (string text in addresses)
            {
                if (!IPAddress.TryParse(text, out IPAddress? address))
                {
                    throw new ArgumentException($"'{text}' recorded for host name '{specification.HostName}' is not an address", nameof(resolvedNames));
                }

                endpoints.Add(new Endpoint(address, port: specification.Port));
            }
        }

        return endpoints;
    }

    /// <summary>Both families, duplicates removed, IPv4 before IPv6, each ascending by its bytes (network order).</summary>
    internal static List<IPAddress> Order(IEnumerable<IPAddress> addresses)
    {
        var distinct = new List<IPAddress>();
        foreach (IPAddress found in addresses)
        {
            IPAddress address = Canonical(found);
            if (!distinct.Contains(address))
            {
                distinct.Add(address);
            }
        }

        distinct.Sort(static (a, b) =>
        {
            int family = FamilyRank(a).CompareTo(FamilyRank(b));
            return family != 0 ? family : a.GetAddressBytes().AsSpan().SequenceCompareTo(b.GetAddressBytes());
        });
        return distinct;
    }

    private static IReadOnlyList<string> ResolveOne(string name, HostAddressLookup lookup)
    {
        IPAddress[] found;
        try
        {
            found = lookup(name);
        }
        catch (Exception exception) when (exception is not IsolationException)
        {
            throw IsolationException.HostNameUnresolved(name, exception.Message, exception);
        }

        List<IPAddress> ordered = Order(Array.FindAll(found, static a => a.AddressFamily is AddressFamily.InterNetwork or AddressFamily.InterNetworkV6));
        if (ordered.Count == 0)
        {
            throw IsolationException.HostNameUnresolved(name, "the resolver returned no IPv4 or IPv6 address", null);
        }

        return [.. ordered.ConvertAll(static a => a.ToString())];
    }

    /// <summary>
    /// The address as nf_tables can match it: IPv4-mapped IPv6 as IPv4 (it is IPv4 on the wire), and without an IPv6
    /// scope id (a link-local zone is local routing state, not part of the address a rule compares).
    /// </summary>
    private static IPAddress Canonical(IPAddress address)
        => address.IsIPv4MappedToIPv6 ? address.MapToIPv4()
            : address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes())
            : address;

    private static int FamilyRank(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork ? 0 : 1;

    private static string Describe(int code, int errno) => code switch
    {
        AddressInfoConstants.EAI_NONAME => "no such host (check the name, /etc/hosts and DNS)",
        AddressInfoConstants.EAI_AGAIN => "the resolver failed temporarily or could not be reached (check /etc/resolv.conf and DNS)",
        AddressInfoConstants.EAI_NODATA => "the name exists but has no address",
        AddressInfoConstants.EAI_FAIL => "the resolver failed permanently",
        AddressInfoConstants.EAI_SYSTEM => $"the resolver failed: {Errno.Name(errno)} ({Errno.Describe(errno)})",
        _ => Interop.Sockets.SystemResolver.Describe(code),
    };
}
