using System.Globalization;
using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// docs/reliability.md, "6. Resource bounds": memory per isolate (reported; only a generous sanity bound is asserted), and the largest policy —
/// 1000 endpoints, IsolationPolicy.MaxEndpoints — isolates in one transaction with every rule listed by nft.
/// </summary>
[Collection(ReliabilitySerialGroup.Name)]
public sealed class ResourceBoundsTests
{
    /// <summary>Generous: a regression to per-rule buffers or repeated ruleset builds would still pass far below this.</summary>
    private const long SanityBoundBytes = 4 * 1024 * 1024;

    [Fact]
    public void Isolate_AfterWarmUp_AllocatesLittlePerCall()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("reliability: allocations per isolate");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        IsolationPolicy policy = HelperPolicies.A;
        for (int i = 0; i < 5; i++)
        {
            isolator.Isolate(policy);
        }

        long samePolicy = Measure(() => isolator.Isolate(policy), 50);
        long newPolicy = Measure(() => isolator.Isolate(new IsolationPolicy(policy.Collectors, policy.AllowedPeers, policy.Dns, allowDhcp: policy.AllowDhcp)), 50);
        long unisolate = Measure(() => isolator.Unisolate(), 50);
        long status = Measure(() => isolator.GetStatus(), 50);

        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"bytes allocated per call after warm-up: isolate (same policy object) {samePolicy}, isolate (new policy object, ruleset rebuilt) {newPolicy}, unisolate {unisolate}, status {status}"));
        Assert.InRange(samePolicy, 0, SanityBoundBytes);
        Assert.InRange(newPolicy, 0, SanityBoundBytes);
    }

    [Fact]
    public void Isolate_1000EndpointPolicy_OneTransactionEveryRuleListed()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("reliability: 1000 endpoints");
        IsolationPolicy policy = ThousandEndpoints();
        Assert.Equal(IsolationPolicy.MaxEndpoints, policy.Collectors.Count + policy.AllowedPeers.Count + policy.DnsResolvers.Count);
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        uint before = isolator.GetStatus().Generation;

        long allocated = GC.GetAllocatedBytesForCurrentThread();
        IsolationResult result = isolator.Isolate(policy);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        IsolationStatus status = isolator.GetStatus();
        string listing = ns.ListTable("inet", "aurorasoc");
        string[] rules = [.. listing.Split('\n').Select(l => l.Trim()).Where(l => l.EndsWith("accept", StringComparison.Ordinal) || l.StartsWith("meta l4proto tcp reject", StringComparison.Ordinal))];
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"1000 endpoints: {result.RuleCount} rules, batch {result.BatchBytes} bytes, {allocated} bytes allocated by the first isolate (ruleset built), generation +{status.Generation - before}"));
        Assert.Equal(before + 1, status.Generation); // exactly one transaction
        Assert.Equal(IsolationState.Isolated, status.State);
        Assert.Equal(result.RuleCount, rules.Length);
        Assert.Equal(result.RuleCount, status.Table!.Rules.Count);
        Assert.Equal(2 * 1000 + 13, result.RuleCount); // 1000 endpoints each way; fixed: input 5, output 5 + 2 DNS + 1 reject
        Assert.Contains("\t\tip saddr 10.0.0.1 accept\n", listing, StringComparison.Ordinal);
        Assert.Contains("\t\tip6 daddr 2001:db8:0:c7::/64 tcp dport 443 accept\n", listing, StringComparison.Ordinal);
        Assert.Equal(listing, NftSyntaxRenderer.Render(status.Table));
        Assert.InRange(allocated, 0, 64L * 1024 * 1024);
    }

    [Fact]
    public void IsolationPolicy_1001Endpoints_RefusedBeforeAnyKernelCall()
    {
        IsolationPolicy largest = ThousandEndpoints();
        var oneMore = Assert.Throws<PolicyValidationException>(() => new IsolationPolicy([.. largest.Collectors, Endpoint.Parse("192.0.2.99")], largest.AllowedPeers, DnsPolicy.AnyResolver));
        var resolver = Assert.Throws<PolicyValidationException>(() => new IsolationPolicy(largest.Collectors, largest.AllowedPeers, DnsPolicy.ListedResolvers, [IPAddress.Parse("192.0.2.53")]));

        Assert.Equal("endpoints", oneMore.Field);
        Assert.Equal("endpoints", resolver.Field);
    }

    /// <summary>600 IPv4 hosts and 200 IPv4 /24 with a port as collectors, 200 IPv6 /64 with a port as peers; DNS any.</summary>
    internal static IsolationPolicy ThousandEndpoints()
    {
        var collectors = new List<Endpoint>();
        for (int i = 0; i < 600; i++)
        {
            collectors.Add(new Endpoint(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"10.{i / 250}.{i % 250}.1"))));
        }

        for (int i = 0; i < 200; i++)
        {
            collectors.Add(new Endpoint(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"172.16.{i}.0")), 24, 6514));
        }

        // Collectors, not peers: more than 8 peers would go into named sets, and this bound is about one rule per endpoint.
        for (int i = 0; i < 200; i++)
        {
            collectors.Add(new Endpoint(IPAddress.Parse(string.Create(CultureInfo.InvariantCulture, $"2001:db8:0:{i:x}::")), 64, 443));
        }

        return new IsolationPolicy(collectors, dns: DnsPolicy.AnyResolver);
    }

    private static long Measure(Action action, int times)
    {
        long start = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < times; i++)
        {
            action();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - start) / times;
    }
}
