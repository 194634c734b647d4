using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>Policies of a chosen size, for the benchmarks that measure how cost grows with the ruleset.</summary>
internal static class ScalePolicies
{
    /// <summary>
    /// <paramref name="endpoints"/> distinct IPv4 hosts from 198.18.0.0/15, the range RFC 2544 reserves for benchmarks: the first is the collector the policy requires,
    /// the rest are allowed peers; DNS any and DHCP on as in the contract example. A collector and a peer produce
    /// the same two rules, so the ruleset has 2 × endpoints + 14 rules. IsolationPolicy allows at most 1000
    /// collectors, peers and resolvers together, so 1000 is the largest valid size.
    /// </summary>
    public static IsolationPolicy WithEndpoints(int endpoints)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(endpoints);
        Endpoint Host(int i) => Endpoint.Parse($"198.18.{i / 250}.{(i % 250) + 1}");
        return new IsolationPolicy(
            collectors: [Host(0)],
            allowedPeers: Enumerable.Range(1, endpoints - 1).Select(Host),
            dns: DnsPolicy.AnyResolver,
            allowDhcp: true);
    }
}
