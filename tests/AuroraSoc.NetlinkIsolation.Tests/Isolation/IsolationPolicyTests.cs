using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Testing.Policies;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

public class IsolationPolicyTests
{
    /// <summary>Every refused input's name and the field it must name (<see cref="PolicyValidationCases.All"/>).</summary>
    public static TheoryData<string, string> InvalidInputs()
    {
        var data = new TheoryData<string, string>();
        foreach ((string name, string field, _) in PolicyValidationCases.All)
        {
            data.Add(name, field);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(InvalidInputs))]
    public void Constructor_InvalidInput_ThrowsNamingFieldAndValue(string name, string field)
    {
        var exception = Assert.Throws<PolicyValidationException>(PolicyValidationCases.Build(name));

        Assert.Equal(field, exception.Field);
        Assert.StartsWith($"invalid {field} ", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_DuplicateEndpoints_MergedKeepingFirstOccurrence()
    {
        var policy = new IsolationPolicy(
            [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("192.0.2.10"), Endpoint.Parse("2001:db8::10")],
            [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("198.51.100.0/24"), Endpoint.Parse("198.51.100.0/24")],
            DnsPolicy.ListedResolvers,
            [IPAddress.Parse("192.0.2.53"), IPAddress.Parse("192.0.2.53")]);

        Assert.Equal(["192.0.2.10", "2001:db8::10"], policy.Collectors.Select(e => e.ToString()));
        Assert.Equal(["198.51.100.0/24"], policy.AllowedPeers.Select(e => e.ToString()));
        Assert.Single(policy.DnsResolvers);
    }

    [Fact]
    public void Constructor_LoopbackResolver_Accepted()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")], dns: DnsPolicy.ListedResolvers, dnsResolvers: [IPAddress.Parse("127.0.0.53")]);

        Assert.Equal(IPAddress.Parse("127.0.0.53"), policy.DnsResolvers[0]);
    }

    [Fact]
    public void Constructor_ThousandEndpoints_Accepted()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")], Enumerable.Range(0, 999).Select(i => Endpoint.Parse($"10.{i / 250}.{i % 250}.1")));

        Assert.Equal(999, policy.AllowedPeers.Count);
    }

    [Fact]
    public void Constructor_Defaults_MatchContract()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")]);

        Assert.Equal(DnsPolicy.Off, policy.Dns);
        Assert.False(policy.AllowDhcp);
        Assert.Equal(IsolationMode.Keep, policy.Mode);
        Assert.True(policy.BlockForwarding);
        Assert.True(policy.RejectTcp);
        Assert.Equal("aurorasoc", policy.TableName);
    }
}
