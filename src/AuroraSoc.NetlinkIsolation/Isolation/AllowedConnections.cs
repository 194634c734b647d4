using System.Net;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Which established TCP connections a strict-mode policy lets through, judged by the remote end as the ruleset's
/// rules judge packets (docs/ruleset.md, "What each rule allows, and why"): a collector's or allowed peer's address or prefix, and its
/// port when it has one; DNS over TCP to port 53 when DNS is allowed (to a listed resolver when resolvers are
/// listed); and everything that travels over the loopback interface — a loopback address, or the namespace's own
/// address, which the kernel routes through <c>lo</c> (<c>iif "lo" accept</c>).
/// </summary>
internal sealed class AllowedConnections
{
    private const int DnsPort = 53;

    private readonly IsolationPolicy _policy;

    public AllowedConnections(IsolationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        _policy = policy;
    }

    /// <summary>True when the policy's rules let a TCP connection between these two ends through.</summary>
    /// <param name="local">The connection's local end in the namespace.</param>
    /// <param name="remote">Its remote end; an IPv4-mapped IPv6 address (a dual-stack socket) counts as IPv4.</param>
    public bool Allows(IPEndPoint local, IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(local);
        ArgumentNullException.ThrowIfNull(remote);
        IPAddress remoteAddress = Unmapped(remote.Address);
        if (IPAddress.IsLoopback(remoteAddress) || remoteAddress.Equals(Unmapped(local.Address)))
        {
            return true;
        }

        if (AnyAllows(_policy.Collectors, remoteAddress, remote.Port) || AnyAllows(_policy.AllowedPeers, remoteAddress, remote.Port))
        {
            return true;
        }

        return remote.Port == DnsPort && _policy.Dns switch
        {
            DnsPolicy.AnyResolver => true,
            DnsPolicy.ListedResolvers => IsListedResolver(remoteAddress),
            _ => false,
        };
    }

    /// <summary>True when <paramref name="remote"/> is a collector's (address, prefix and port as the collector rules match).</summary>
    public bool IsCollector(IPEndPoint remote)
    {
        ArgumentNullException.ThrowIfNull(remote);
        return AnyAllows(_policy.Collectors, Unmapped(remote.Address), remote.Port);
    }

    private static bool AnyAllows(IReadOnlyList<Endpoint> endpoints, IPAddress remoteAddress, int remotePort)
    {
        foreach (Endpoint endpoint in endpoints)
        {
            if ((endpoint.Port is null || endpoint.Port == remotePort) && InPrefix(remoteAddress, endpoint.Address, endpoint.PrefixLength))
            {
                return true;
            }
        }

        return false;
    }

    private bool IsListedResolver(IPAddress address)
    {
        foreach (IPAddress resolver in _policy.DnsResolvers)
        {
            if (resolver.Equals(address))
            {
                return true;
            }
        }

        return false;
    }

    private static IPAddress Unmapped(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    private static bool InPrefix(IPAddress address, IPAddress network, int prefixLength)
    {
        if (address.AddressFamily != network.AddressFamily)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[16];
        Span<byte> n = stackalloc byte[16];
        address.TryWriteBytes(a, out int length);
        network.TryWriteBytes(n, out _);
        int fullBytes = prefixLength / 8;
        if (!a[..fullBytes].SequenceEqual(n[..fullBytes]))
        {
            return false;
        }

        int remainingBits = prefixLength % 8;
        if (remainingBits == 0 || fullBytes >= length)
        {
            return true;
        }

        byte mask = (byte)(0xff << (8 - remainingBits));
        return (a[fullBytes] & mask) == (n[fullBytes] & mask);
    }
}
