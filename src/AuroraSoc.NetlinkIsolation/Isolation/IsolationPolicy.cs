using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// What an isolated host may still reach (docs/ruleset.md, "What each rule allows, and why"). Immutable and
/// validated on construction, so no kernel call ever sees bad input. Exact duplicates (the same endpoint twice, or a peer that is also a
/// collector, or a resolver listed twice) are merged, keeping the first occurrence: they would only add
/// redundant rules. Everything else that is wrong throws <see cref="PolicyValidationException"/>.
/// </summary>
public sealed partial class IsolationPolicy
{
    /// <summary>The most collectors, peers and resolvers together; bounds the batch (≈ 200 bytes per rule).</summary>
    public const int MaxEndpoints = 1000;

    /// <summary>The most agent identities: each one multiplies the output collector rules.</summary>
    public const int MaxAgentIdentities = 8;

    /// <summary>The table isolation installs unless told otherwise: <c>table inet aurorasoc</c>.</summary>
    public const string DefaultTableName = "aurorasoc";

    /// <summary>Validates and builds a policy; nothing touches the kernel.</summary>
    /// <param name="collectors">The endpoints that must stay reachable (the sensor's collectors); at least one.</param>
    /// <param name="allowedPeers">Further endpoints that stay reachable, e.g. a patch server.</param>
    /// <param name="dns">Which DNS traffic stays allowed.</param>
    /// <param name="dnsResolvers">The resolvers for <see cref="DnsPolicy.ListedResolvers"/>.</param>
    /// <param name="allowDhcp">Keep DHCP (v4 and v6) working so the address lease survives.</param>
    /// <param name="mode">What happens to established connections the policy does not allow.</param>
    /// <param name="blockForwarding">Install the forward chain: routed and container traffic stops.</param>
    /// <param name="rejectTcp">Answer disallowed outbound TCP with a reset.</param>
    /// <param name="tableName">The inet table to install; <see cref="DefaultTableName"/> unless several policies coexist.</param>
    /// <param name="reason">Why the namespace is isolated, stored as the table's comment; null for none.</param>
    /// <param name="agentIdentities">Who alone may open connections to the collectors (1 to <see cref="MaxAgentIdentities"/>, resolved); null or empty: every process may.</param>
    /// <exception cref="PolicyValidationException">An input is refused; the exception names the field and value.</exception>
    public IsolationPolicy(
        IEnumerable<Endpoint> collectors,
        IEnumerable<Endpoint>? allowedPeers = null,
        DnsPolicy dns = DnsPolicy.Off,
        IEnumerable<IPAddress>? dnsResolvers = null,
        bool allowDhcp = false,
        IsolationMode mode = IsolationMode.Keep,
        bool blockForwarding = true,
        bool rejectTcp = true,
        string tableName = DefaultTableName,
        string? reason = null,
        IEnumerable<AgentIdentity>? agentIdentities = null)
    {
        ArgumentNullException.ThrowIfNull(collectors);
        ValidateTableName(tableName);
        if (reason is not null)
        {
            IsolationReason.Validate(reason);
        }

        if (!Enum.IsDefined(mode))
        {
            throw new PolicyValidationException("mode", mode.ToString(), "must be keep or strict");
        }

        if (!Enum.IsDefined(dns))
        {
            throw new PolicyValidationException("dns", dns.ToString(), "must be off, any or listed");
        }

        var seen = new HashSet<Endpoint>();
        Collectors = Distinct(collectors, "collector", seen);
        AllowedPeers = Distinct(allowedPeers ?? [], "allowed peer", seen);
        if (Collectors.Count == 0)
        {
            throw new PolicyValidationException("collector", null, "at least one collector is required");
        }

        List<IPAddress> resolvers = [];
        foreach (IPAddress resolver in dnsResolvers ?? [])
        {
            ValidateResolver(resolver);
            if (!resolvers.Contains(resolver))
            {
                resolvers.Add(resolver);
            }
        }

        if (dns == DnsPolicy.ListedResolvers && resolvers.Count == 0)
        {
            throw new PolicyValidationException("dns-server", null, "listed-resolver DNS needs at least one resolver");
        }

        if (dns != DnsPolicy.ListedResolvers && resolvers.Count > 0)
        {
            throw new PolicyValidationException("dns-server", resolvers[0].ToString(), "resolvers can only be listed with DNS policy 'listed'");
        }

        int total = Collectors.Count + AllowedPeers.Count + resolvers.Count;
        if (total > MaxEndpoints)
        {
            throw new PolicyValidationException("endpoints", total.ToString(System.Globalization.CultureInfo.InvariantCulture), $"at most {MaxEndpoints} collectors, peers and resolvers together");
        }

        AgentIdentities = ValidateAgentIdentities(agentIdentities);
        Dns = dns;
        DnsResolvers = resolvers.AsReadOnly();
        AllowDhcp = allowDhcp;
        Mode = mode;
        BlockForwarding = blockForwarding;
        RejectTcp = rejectTcp;
        TableName = tableName;
        Reason = reason;
        PeerSets = AllowedPeers.Count > MaxPeerRules ? PeerAllowlist.Normalize(RangesOf(AllowedPeers)) : null;
    }

    /// <summary>The endpoints that stay reachable for the sensor, duplicates merged.</summary>
    public IReadOnlyList<Endpoint> Collectors { get; }

    /// <summary>Further endpoints that stay reachable, duplicates (and collectors) merged.</summary>
    public IReadOnlyList<Endpoint> AllowedPeers { get; private set; }

    /// <summary>Who alone may open connections to the collectors, in the order given; empty: every process may.</summary>
    public IReadOnlyList<AgentIdentity> AgentIdentities { get; private set; }

    /// <summary>Which DNS traffic stays allowed.</summary>
    public DnsPolicy Dns { get; }

    /// <summary>The resolvers DNS may go to under <see cref="DnsPolicy.ListedResolvers"/>; empty otherwise.</summary>
    public IReadOnlyList<IPAddress> DnsResolvers { get; }

    /// <summary>True when DHCP (v4 and v6) stays allowed.</summary>
    public bool AllowDhcp { get; }

    /// <summary>What happens to established connections the policy does not allow.</summary>
    public IsolationMode Mode { get; }

    /// <summary>Install the forward chain (policy drop): routed and container traffic stops.</summary>
    public bool BlockForwarding { get; }

    /// <summary>Answer disallowed outbound TCP with a reset so local programs fail at once.</summary>
    public bool RejectTcp { get; }

    /// <summary>The name of the inet table this policy installs.</summary>
    public string TableName { get; }

    /// <summary>Why the namespace is isolated; stored as the table's nft comment (<see cref="IsolationReason"/>). Null for none.</summary>
    public string? Reason { get; }

    /// <summary>
    /// Record what the isolation blocks: per-chain counters, a ledger of blocked endpoints per chain and family, and a
    /// rate-limited NFLOG copy of each blocked packet (docs/ruleset.md, "Recording what isolation blocked").
    /// </summary>
    public bool RecordBlocked { get; init; }

    /// <summary>Validates a table name without building a policy (unisolate and status take only a name).</summary>
    public static void ValidateTableName(string? tableName)
    {
        if (!IsTableName(tableName))
        {
            throw new PolicyValidationException("table", tableName, "must be 1 to 64 characters of A-Z, a-z, 0-9, '_' and '-'");
        }
    }

    /// <summary>
    /// Validates a reason without building a policy, so a caller can refuse it before resolving host names: 1 to 128
    /// bytes of printable UTF-8 without <c>"</c>, <c>\</c> or control characters.
    /// </summary>
    public static void ValidateReason(string reason) => IsolationReason.Validate(reason);

    private static System.Collections.ObjectModel.ReadOnlyCollection<AgentIdentity> ValidateAgentIdentities(IEnumerable<AgentIdentity>? identities)
    {
        var result = new List<AgentIdentity>();
        foreach (AgentIdentity identity in identities ?? [])
        {
            ArgumentNullException.ThrowIfNull(identity, "agent");
            result.Add(identity);
            if (result.Count > MaxAgentIdentities)
            {
                throw new PolicyValidationException("agent", identity.Value, $"at most {MaxAgentIdentities} agent identities");
            }
        }

        return result.AsReadOnly();
    }

    private static List<Endpoint> Distinct(IEnumerable<Endpoint> endpoints, string field, HashSet<Endpoint> seen)
    {
        var result = new List<Endpoint>();
        foreach (Endpoint endpoint in endpoints)
        {
            ArgumentNullException.ThrowIfNull(endpoint, field);
            ValidateEndpoint(endpoint, field);
            if (seen.Add(endpoint))
            {
                result.Add(endpoint);
            }

            if (seen.Count > MaxEndpoints)
            {
                throw new PolicyValidationException("endpoints", $"more than {MaxEndpoints}", $"at most {MaxEndpoints} collectors, peers and resolvers together");
            }
        }

        return result;
    }

    private static void ValidateEndpoint(Endpoint endpoint, string field)
    {
        string value = endpoint.ToString();
        IPAddress address = endpoint.Address;
        int full = Endpoint.FullLength(address);
        if (endpoint.PrefixLength < 1 || endpoint.PrefixLength > full)
        {
            throw new PolicyValidationException(field, value, $"prefix length must be 1..{full}");
        }

        if (!HostBitsClear(address, endpoint.PrefixLength))
        {
            throw new PolicyValidationException(field, value, $"host bits are set; did you mean {Network(address, endpoint.PrefixLength)}/{endpoint.PrefixLength}?");
        }

        if (endpoint.Port is int port && (port < 1 || port > 65535))
        {
            throw new PolicyValidationException(field, value, "port must be 1..65535");
        }

        RefuseSpecialAddress(address, field, value);
        if (IPAddress.IsLoopback(address))
        {
            throw new PolicyValidationException(field, value, "loopback is always allowed and cannot be a " + field);
        }
    }

    private static void ValidateResolver(IPAddress resolver)
    {
        ArgumentNullException.ThrowIfNull(resolver, "dns-server");
        RefuseSpecialAddress(resolver, "dns-server", resolver.ToString());
    }

    private static void RefuseSpecialAddress(IPAddress address, string field, string value)
    {
        if (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any))
        {
            throw new PolicyValidationException(field, value, "the unspecified address matches nothing useful; name a host or network");
        }

        if (address.IsIPv4MappedToIPv6)
        {
            throw new PolicyValidationException(field, value, "IPv4-mapped IPv6 addresses never appear on the wire; use the IPv4 form");
        }

        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            byte first = address.GetAddressBytes()[0];
            if (first >= 224 && first <= 239)
            {
                throw new PolicyValidationException(field, value, "multicast addresses cannot be collectors, peers or resolvers");
            }

            if (address.Equals(IPAddress.Broadcast))
            {
                throw new PolicyValidationException(field, value, "the broadcast address cannot be a collector, peer or resolver");
            }
        }
        else if (address.IsIPv6Multicast)
        {
            throw new PolicyValidationException(field, value, "multicast addresses cannot be collectors, peers or resolvers");
        }
    }

    private static bool HostBitsClear(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }

    private static IPAddress Network(IPAddress address, int prefixLength)
    {
        byte[] bytes = address.GetAddressBytes();
        for (int bit = prefixLength; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    // Plain code, not a regular expression: every command validates a table name, and the regex engine is a large
    // part of a NativeAOT image for one character class.
    private static bool IsTableName([NotNullWhen(true)] string? name)
    {
        if (name is null || name.Length is 0 or > 64)
        {
            return false;
        }

        foreach (char c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-'))
            {
                return false;
            }
        }

        return true;
    }
}
