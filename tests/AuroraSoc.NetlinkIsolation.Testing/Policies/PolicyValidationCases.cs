using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Testing.Policies;

/// <summary>Every input IsolationPolicy must refuse, with the field it must name. Shared by unit and live tests.</summary>
public static class PolicyValidationCases
{
    private static readonly Endpoint Collector = Endpoint.Parse("192.0.2.10");

    public static Func<IsolationPolicy> Build(string name) => All.Single(c => c.Name == name).Build;

    public static readonly (string Name, string Field, Func<IsolationPolicy> Build)[] All =
    [
        ("no collector", "collector", () => new IsolationPolicy([])),
        ("unspecified IPv4 collector", "collector", () => new IsolationPolicy([Endpoint.Parse("0.0.0.0")])),
        ("unspecified IPv6 collector", "collector", () => new IsolationPolicy([Endpoint.Parse("::")])),
        ("multicast IPv4 collector", "collector", () => new IsolationPolicy([Endpoint.Parse("224.0.0.251")])),
        ("multicast IPv6 collector", "collector", () => new IsolationPolicy([Endpoint.Parse("ff02::1")])),
        ("broadcast collector", "collector", () => new IsolationPolicy([Endpoint.Parse("255.255.255.255")])),
        ("loopback IPv4 collector", "collector", () => new IsolationPolicy([Endpoint.Parse("127.0.0.1")])),
        ("loopback IPv6 collector", "collector", () => new IsolationPolicy([Endpoint.Parse("::1")])),
        ("IPv4-mapped collector", "collector", () => new IsolationPolicy([Endpoint.Parse("::ffff:192.0.2.10")])),
        ("loopback peer", "allowed peer", () => new IsolationPolicy([Collector], [Endpoint.Parse("127.0.0.0/8")])),
        ("multicast peer", "allowed peer", () => new IsolationPolicy([Collector], [Endpoint.Parse("239.1.1.1:443")])),
        ("IPv4 prefix out of range", "collector", () => new IsolationPolicy([new Endpoint(IPAddress.Parse("192.0.2.0"), 33)])),
        ("IPv6 prefix out of range", "collector", () => new IsolationPolicy([new Endpoint(IPAddress.Parse("2001:db8::"), 129)])),
        ("prefix zero", "collector", () => new IsolationPolicy([new Endpoint(IPAddress.Parse("192.0.2.0"), 0)])),
        ("IPv4 host bits set", "collector", () => new IsolationPolicy([Endpoint.Parse("192.0.2.10/24")])),
        ("IPv6 host bits set", "allowed peer", () => new IsolationPolicy([Collector], [Endpoint.Parse("2001:db8::1/64")])),
        ("port zero", "collector", () => new IsolationPolicy([new Endpoint(IPAddress.Parse("192.0.2.10"), null, 0)])),
        ("port above 65535", "collector", () => new IsolationPolicy([new Endpoint(IPAddress.Parse("192.0.2.10"), null, 65536)])),
        ("unspecified resolver", "dns-server", () => new IsolationPolicy([Collector], dns: DnsPolicy.ListedResolvers, dnsResolvers: [IPAddress.Any])),
        ("multicast resolver", "dns-server", () => new IsolationPolicy([Collector], dns: DnsPolicy.ListedResolvers, dnsResolvers: [IPAddress.Parse("ff02::fb")])),
        ("broadcast resolver", "dns-server", () => new IsolationPolicy([Collector], dns: DnsPolicy.ListedResolvers, dnsResolvers: [IPAddress.Broadcast])),
        ("listed DNS without resolvers", "dns-server", () => new IsolationPolicy([Collector], dns: DnsPolicy.ListedResolvers)),
        ("resolvers without listed DNS", "dns-server", () => new IsolationPolicy([Collector], dns: DnsPolicy.AnyResolver, dnsResolvers: [IPAddress.Parse("192.0.2.53")])),
        ("empty table name", "table", () => new IsolationPolicy([Collector], tableName: string.Empty)),
        ("table name with space", "table", () => new IsolationPolicy([Collector], tableName: "a b")),
        ("table name with dot", "table", () => new IsolationPolicy([Collector], tableName: "aurora.soc")),
        ("table name of 65 characters", "table", () => new IsolationPolicy([Collector], tableName: new string('t', 65))),
        ("table name ending in a newline", "table", () => new IsolationPolicy([Collector], tableName: "aurorasoc\n")),
        ("table name with a non-ASCII digit", "table", () => new IsolationPolicy([Collector], tableName: "table\u0663")),
        ("undefined mode", "mode", () => new IsolationPolicy([Collector], mode: (IsolationMode)7)),
        ("1001 endpoints", "endpoints", () => new IsolationPolicy([Collector], Enumerable.Range(0, 1000).Select(i => Endpoint.Parse($"10.{i / 250}.{i % 250}.1")))),
        ("1000 endpoints plus a resolver", "endpoints", () => new IsolationPolicy([Collector], Enumerable.Range(0, 999).Select(i => Endpoint.Parse($"10.{i / 250}.{i % 250}.1")), DnsPolicy.ListedResolvers, [IPAddress.Parse("192.0.2.53")])),
    ];
}
