using System.Net;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Support;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>
/// Every policy option on and off, both modes, both families, hosts and prefixes (byte-aligned and not), ports,
/// listed resolvers, a custom table and 1000 endpoints: after Isolate, nft prints exactly the text the contract
/// implies (built by <see cref="PolicySpec"/>, not by the production code), and our renderer prints the same.
/// </summary>
public sealed class PolicyMatrixTests
{
    public static TheoryData<string> Cases() => new(Specs.Keys.Order(StringComparer.Ordinal));

    private static readonly Dictionary<string, PolicySpec> Specs = new(StringComparer.Ordinal)
    {
        ["keep, one IPv4 collector, defaults"] = new(["192.0.2.10"]),
        ["strict, one IPv6 collector with port"] = new(["[2001:db8::10]:443"], Strict: true),
        ["keep, everything on, contract example"] = new(["192.0.2.10", "[2001:db8::10]:443"], ["198.51.100.0/24"], Dns: "any", Dhcp: true),
        ["strict, everything on, listed resolvers of both families"] = new(
            ["192.0.2.10", "10.32.16.0/20", "2001:db8:1::/64"],
            ["192.0.2.20:6514", "203.0.113.0/24:514", "[2001:db8:0:8::/61]:443", "2001:db8::20"],
            Dns: "listed",
            Resolvers: ["192.0.2.53", "2001:db8::53"],
            Dhcp: true,
            Strict: true),
        ["keep, listed resolvers, no forward chain, no reject, custom table"] = new(
            ["172.16.0.0/12", "[2001:db8::/32]:8443"],
            Dns: "listed",
            Resolvers: ["127.0.0.53", "192.0.2.53"],
            BlockForwarding: false,
            Reject: false,
            Table: "edr_quarantine-2"),
        ["strict, DNS any, DHCP, prefixes /1 /9 /31 /127"] = new(
            ["128.0.0.0/1", "10.128.0.0/9", "192.0.2.254/31", "2001:db8::fe/127"],
            Dns: "any",
            Dhcp: true,
            Strict: true),
        ["keep, several collectors and peers with ports, keep forwarding"] = new(
            ["192.0.2.10:6514", "192.0.2.11:6514", "[2001:db8::10]:6514"],
            ["198.51.100.7", "198.51.100.0/25:22", "2001:db8:ffff::/48"],
            BlockForwarding: false),
        // Collectors: more than 8 peers would go into named sets (AllowlistKernelTests), and this case is about rules.
        ["keep, 1000 endpoints"] = new(
            ["192.0.2.10", .. Enumerable.Range(0, 999).Select(i => $"10.{i / 250}.{i % 250}.1")]),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Isolate_PolicyCase_NftAndRendererPrintContractText(string name)
    {
        Requirements.RequireNft();
        PolicySpec spec = Specs[name];
        using var ns = ThrowawayNamespace.Create("policy matrix: " + name);
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        IsolationResult result = isolator.Isolate(ToPolicy(spec));

        string expected = spec.ExpectedListing();
        Assert.Equal(expected, ns.ListTable("inet", spec.Table));
        IsolationStatus status = isolator.GetStatus(spec.Table);
        Assert.Equal(IsolationState.Isolated, status.State);
        Assert.Equal(expected, NftSyntaxRenderer.Render(status.Table!));
        Assert.Equal(expected.Split('\n').Count(l => l.StartsWith("\t\t", StringComparison.Ordinal) && !l.Contains("type filter", StringComparison.Ordinal)), result.RuleCount);
    }

    internal static IsolationPolicy ToPolicy(PolicySpec spec) => new(
        spec.Collectors.Select(Endpoint.Parse),
        (spec.Peers ?? []).Select(Endpoint.Parse),
        spec.Dns switch { "any" => DnsPolicy.AnyResolver, "listed" => DnsPolicy.ListedResolvers, _ => DnsPolicy.Off },
        (spec.Resolvers ?? []).Select(IPAddress.Parse),
        spec.Dhcp,
        spec.Strict ? IsolationMode.Strict : IsolationMode.Keep,
        spec.BlockForwarding,
        spec.Reject,
        spec.Table);
}
