using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>Ordering, placement and failure of host-name resolution, with a scripted resolver (the live one is tested end to end).</summary>
public class HostNameResolutionTests
{
    private static readonly Dictionary<string, string[]> Zone = new(StringComparer.Ordinal)
    {
        ["edr.example.com"] = ["2001:db8::20", "192.0.2.20", "2001:db8::3", "192.0.2.3", "192.0.2.20", "10.0.0.1", "2001:db8::20"],
        ["v6only.example.com"] = ["2001:db8::1:1"],
        ["mapped.example.com"] = ["::ffff:192.0.2.7", "192.0.2.7"],
        ["scoped.example.com"] = ["fe80::1%2"],
        ["empty.example.com"] = [],
    };

    [Fact]
    public void ResolveNames_SeveralAAndAaaa_Ipv4ThenIpv6EachAscendingWithoutDuplicates()
    {
        IReadOnlyDictionary<string, IReadOnlyList<string>> resolved = HostNameResolution.ResolveNames([Spec("edr.example.com:6514")], Lookup);

        Assert.Equal(["10.0.0.1", "192.0.2.3", "192.0.2.20", "2001:db8::3", "2001:db8::20"], resolved["edr.example.com"]);
        Assert.Single(resolved);
    }

    [Fact]
    public void Expand_NameBetweenAddresses_AddressesStandWhereTheNameStoodWithItsPort()
    {
        EndpointSpecification[] specifications = [Spec("198.51.100.1"), Spec("edr.example.com:6514"), Spec("[2001:db8::99]:22")];

        IReadOnlyList<Endpoint> endpoints = HostNameResolution.Expand(specifications, HostNameResolution.ResolveNames(specifications, Lookup));

        Assert.Equal(
            ["198.51.100.1", "10.0.0.1:6514", "192.0.2.3:6514", "192.0.2.20:6514", "[2001:db8::3]:6514", "[2001:db8::20]:6514", "[2001:db8::99]:22"],
            endpoints.Select(e => e.ToString()));
    }

    [Fact]
    public void ResolveNames_SameNameTwice_ResolvedOnce()
    {
        int calls = 0;
        IPAddress[] Counting(string name)
        {
            calls++;
            return Lookup(name);
        }

        HostNameResolution.ResolveNames([Spec("edr.example.com"), Spec("edr.example.com:443")], Counting);

        Assert.Equal(1, calls);
    }

    [Fact]
    public void ResolveNames_NoNames_EmptyWithoutLookup()
    {
        IReadOnlyDictionary<string, IReadOnlyList<string>> resolved = HostNameResolution.ResolveNames([Spec("192.0.2.1")], _ => throw new InvalidOperationException("must not be called"));

        Assert.Empty(resolved);
    }

    [Fact]
    public void ResolveNames_MappedAndScoped_AsTheWireCarriesThem()
    {
        IReadOnlyDictionary<string, IReadOnlyList<string>> resolved = HostNameResolution.ResolveNames([Spec("mapped.example.com"), Spec("scoped.example.com")], Lookup);

        Assert.Equal(["192.0.2.7"], resolved["mapped.example.com"]);
        Assert.Equal(["fe80::1"], resolved["scoped.example.com"]);
    }

    [Fact]
    public void ResolveNames_Unresolvable_ThrowsNamingTheFirstFailingName()
    {
        var exception = Assert.Throws<IsolationException>(() => HostNameResolution.ResolveNames([Spec("v6only.example.com"), Spec("missing.example.com"), Spec("gone.example.com")], Lookup));

        Assert.Equal(IsolationErrorKind.HostNameUnresolved, exception.Kind);
        Assert.Contains("'missing.example.com'", exception.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("gone.example.com", exception.Message, StringComparison.Ordinal);
        Assert.Contains("no such host", exception.Message, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResolveNames_NoAddress_Throws()
    {
        var exception = Assert.Throws<IsolationException>(() => HostNameResolution.ResolveNames([Spec("empty.example.com")], Lookup));

        Assert.Equal(IsolationErrorKind.HostNameUnresolved, exception.Kind);
        Assert.Contains("'empty.example.com'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Expand_NameNotRecorded_Throws()
    {
        Assert.Throws<ArgumentException>(() => HostNameResolution.Expand([Spec("edr.example.com")], new Dictionary<string, IReadOnlyList<string>>()));
    }

    [Fact]
    public void ResolveNames_SystemResolverLocalhost_LoopbackAddresses()
    {
        // /etc/hosts always maps localhost; proves the default lookup is wired to getaddrinfo.
        IReadOnlyDictionary<string, IReadOnlyList<string>> resolved = HostNameResolution.ResolveNames([Spec("localhost")]);

        Assert.Contains("127.0.0.1", resolved["localhost"]);
    }

    private static EndpointSpecification Spec(string text) => EndpointSpecification.Parse(text);

    private static IPAddress[] Lookup(string name)
        => Zone.TryGetValue(name, out string[]? addresses)
            ? [.. addresses.Select(IPAddress.Parse)]
            : throw new IOException("no such host");
}
