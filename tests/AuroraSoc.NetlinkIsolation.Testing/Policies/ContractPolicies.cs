using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Testing.Policies;

/// <summary>The policies behind the captured nft vectors (tests/TestVectors/*.nft), written out by hand.</summary>
public static class ContractPolicies
{
    /// <summary>ruleset.md's example: keep mode; collectors 192.0.2.10 and [2001:db8::10]:443; peer 198.51.100.0/24; DNS any; DHCP on.</summary>
    public static IsolationPolicy Example() => new(
        collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:443")],
        allowedPeers: [Endpoint.Parse("198.51.100.0/24")],
        dns: DnsPolicy.AnyResolver,
        allowDhcp: true);

    /// <summary>record-blocked.nft: <see cref="Example"/> with <c>--record-blocked</c>.</summary>
    public static IsolationPolicy RecordingExample() => new(
        collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:443")],
        allowedPeers: [Endpoint.Parse("198.51.100.0/24")],
        dns: DnsPolicy.AnyResolver,
        allowDhcp: true)
    { RecordBlocked = true };

    /// <summary>strict-variant.nft: strict, listed resolvers of both families, DHCP, reject, no forward chain, table custom_tbl-1.</summary>
    public static IsolationPolicy StrictVariant() => new(
        collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("198.51.100.0/24"), Endpoint.Parse("172.16.0.0/16"), Endpoint.Parse("10.32.16.0/20")],
        allowedPeers:
        [
            Endpoint.Parse("192.0.2.20:6514"), Endpoint.Parse("203.0.113.0/24:514"), Endpoint.Parse("2001:db8::10"),
            Endpoint.Parse("2001:db8:1::/64"), Endpoint.Parse("[2001:db8:0:8::/61]:443"), Endpoint.Parse("[2001:db8::20]:6514"),
        ],
        dns: DnsPolicy.ListedResolvers,
        dnsResolvers: [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("2001:db8::53")],
        allowDhcp: true,
        mode: IsolationMode.Strict,
        blockForwarding: false,
        tableName: "custom_tbl-1");

    /// <summary>strict-dns-any.nft: strict, DNS any, no DHCP, no reject, forward chain.</summary>
    public static IsolationPolicy StrictDnsAny() => new(
        collectors: [Endpoint.Parse("192.0.2.10:6514"), Endpoint.Parse("2001:db8::10")],
        dns: DnsPolicy.AnyResolver,
        mode: IsolationMode.Strict,
        rejectTcp: false);
}
