using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Isolation;

/// <summary>Allowlist parsing and normalization: the merged sets allow exactly the union of the raw list.</summary>
public class PeerAllowlistTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Normalize_RandomOverlappingList_AllowsExactlyWhatTheRawListAllows(int seed)
    {
        var random = new Random(seed); // seeded: a failure reproduces with the same seed
        List<PeerRange> raw = [.. Enumerable.Range(0, 400).Select(_ => RandomPeer(random))];
        PeerAllowlist merged = PeerAllowlist.Normalize(raw);

        var probes = new List<(bool V6, UInt128 Address, ushort Port)>();
        foreach (PeerRange peer in raw)
        {
            // Edges are where a wrong merge shows: each range's ends and the addresses just outside them.
            foreach (UInt128 address in (UInt128[])[peer.First, peer.Last, peer.First - 1, peer.Last + 1])
            {
                probes.Add((peer.IsIPv6, address, Ports[random.Next(Ports.Length)]));
            }
        }

        for (int i = 0; i < 20_000; i++)
        {
            bool v6 = random.Next(2) == 1;
            probes.Add((v6, Base(v6) + (UInt128)random.Next(0, 1 << 16), Ports[random.Next(Ports.Length)]));
        }

        int allowed = 0;
        foreach ((bool v6, UInt128 address, ushort port) in probes)
        {
            bool expected = raw.Any(r => r.IsIPv6 == v6 && r.First <= address && address <= r.Last && (r.Port == 0 || r.Port == port));
            allowed += expected ? 1 : 0;
            Assert.True(expected == merged.Allows(v6, address, port), $"seed {seed}: {(v6 ? "v6" : "v4")} {address} port {port}: raw list says {expected}");
        }

        Assert.InRange(allowed, 1, probes.Count - 1); // both outcomes were exercised
    }

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    public void Normalize_RandomList_EverySetAscendingDisjointAndNotAdjacentPerPort(int seed)
    {
        var random = new Random(seed);
        PeerAllowlist merged = PeerAllowlist.Normalize([.. Enumerable.Range(0, 400).Select(_ => RandomPeer(random))]);

        for (int set = 0; set < PeerAllowlist.SetNames.Length; set++)
        {
            IReadOnlyList<PeerRange> ranges = merged.Set(set);
            Assert.Equal(ranges.OrderBy(r => r.First).ThenBy(r => r.Port), ranges);
            foreach (IGrouping<ushort, PeerRange> port in ranges.GroupBy(r => r.Port))
            {
                PeerRange[] sorted = [.. port];
                for (int i = 1; i < sorted.Length; i++)
                {
                    Assert.True(sorted[i].First > sorted[i - 1].Last + 1, $"{sorted[i - 1]} and {sorted[i]} overlap or touch");
                }
            }
        }
    }

    [Fact]
    public void Normalize_AdjacentAndOverlapping_MergedIntoOneMaximalRange()
    {
        PeerAllowlist merged = Normalize("10.0.0.0/25", "10.0.0.128/25", "10.0.0.200-10.0.1.5", "10.0.1.6", "192.0.2.1", "192.0.2.0/24");

        Assert.Equal(["10.0.0.0-10.0.1.6", "192.0.2.0/24"], merged.Set(0).Select(r => r.ToString()));
    }

    [Fact]
    public void Normalize_SameRangesOtherPorts_KeptApartPerPortInAddressOrder()
    {
        PeerAllowlist merged = Normalize("10.0.0.0/24:443", "10.0.0.0/25:22", "10.0.0.128/25:22", "9.0.0.1:443");

        Assert.Equal(["9.0.0.1:443", "10.0.0.0/24:22", "10.0.0.0/24:443"], merged.Set(1).Select(r => r.ToString()));
    }

    [Theory]
    [InlineData("0.0.0.0/1", "128.0.0.0/1")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/1", "8000::/1")]
    [InlineData("0.0.0.0-127.255.255.255", "128.0.0.0-255.255.255.255")]
    public void Normalize_UnionIsAWholeFamily_Refused(params string[] peers)
    {
        var exception = Assert.Throws<PolicyValidationException>(() => Normalize(peers));

        Assert.Contains("would undo the isolation", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Normalize_WholeFamilyOnlyWithAPort_Accepted()
    {
        Assert.Single(Normalize("0.0.0.0/0:443").Set(1));
    }

    [Theory]
    [InlineData("10.0.0.1", "10.0.0.1")]
    [InlineData("10.0.0.0/8", "10.0.0.0/8")]
    [InlineData("10.0.0.0-10.255.255.255", "10.0.0.0/8")]
    [InlineData("10.0.0.5-10.0.0.9:80", "10.0.0.5-10.0.0.9:80")]
    [InlineData("[2001:db8::/32]:443", "[2001:db8::/32]:443")]
    [InlineData("[2001:db8::1-2001:db8::1]:22", "[2001:db8::1]:22")]
    [InlineData("2001:db8:0:1::5-2001:db8:0:1::9", "2001:db8:0:1::5-2001:db8:0:1::9")]
    [InlineData("::ffff:0:0:1/128", "::ffff:0:0:1")]
    public void TryParse_Entry_ReadsBackAsNftPrintsIt(string text, string expected)
    {
        Assert.True(PeerListReader.TryParse(text, out PeerRange range, out string? error), error);
        Assert.Equal(expected, range.ToString());
    }

    [Theory]
    [InlineData("10.0.0.1/33", "prefix length")]
    [InlineData("10.0.0.1/24", "host bits")]
    [InlineData("10.0.0.9-10.0.0.5", "first address must not be above")]
    [InlineData("10.0.0.1-2001:db8::1", "one address family")]
    [InlineData("10.0.0.1:0", "port")]
    [InlineData("10.0.0.1:70000", "port")]
    [InlineData("[10.0.0.1]:22", "only IPv6")]
    [InlineData("2001:db8::1:22x", "not an IPv4 or IPv6 address")]
    [InlineData("edr.example.com", "not an IPv4 or IPv6 address")]
    [InlineData("10.1", "not an IPv4 or IPv6 address")]
    [InlineData("10.0.0.1/8-10.0.0.9", "cannot also have a prefix")]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("224.0.0.0/4", "multicast")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::ffff:10.0.0.1", "IPv4-mapped")]
    public void TryParse_BadEntry_RefusedSayingWhy(string text, string reason)
    {
        Assert.False(PeerListReader.TryParse(text, out _, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_BadLineDeepInALongList_NamesSourceAndLineNumberAndText()
    {
        var lines = Enumerable.Range(0, 100_000).Select(i => $"10.{i >> 16}.{(i >> 8) & 255}.{i & 255}").ToArray();
        lines[73_411] = "10.0.0.1/33";

        var exception = Assert.Throws<PolicyValidationException>(() => PeerListReader.Read(new StringReader(string.Join('\n', lines)), "peers.txt"));

        Assert.Equal("peers.txt:73412", exception.Value);
        Assert.Contains("'10.0.0.1/33'", exception.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_CommentsBlankLinesAndSpaces_Skipped()
    {
        List<PeerRange> peers = PeerListReader.Read(new StringReader("# header\n\n  10.0.0.1  # a host\r\n\t\n192.0.2.0/24\n"), "list");

        Assert.Equal(["10.0.0.1", "192.0.2.0/24"], peers.Select(p => p.ToString()));
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n\n")]
    public void Read_NoPeer_Refused(string text)
    {
        var exception = Assert.Throws<PolicyValidationException>(() => PeerListReader.Read(new StringReader(text), "empty.txt"));

        Assert.Equal("empty.txt", exception.Value);
    }

    [Fact]
    public void WithAllowedPeersFrom_EightPrefixesInAll_RulesInListOrderAfterTheAllowPeers()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")], [Endpoint.Parse("198.51.100.7")])
            .WithAllowedPeersFrom(new StringReader(string.Join('\n', Enumerable.Range(1, 7).Select(i => $"10.0.0.{8 - i}"))), "list");

        Assert.Null(policy.PeerSets);
        Assert.Equal(["198.51.100.7", "10.0.0.7", "10.0.0.6", "10.0.0.5", "10.0.0.4", "10.0.0.3", "10.0.0.2", "10.0.0.1"], policy.AllowedPeers.Select(p => p.ToString()));
        Assert.Equal(8, policy.PeerCount);
        Assert.Empty(policy.PeerSetSizes);
    }

    [Fact]
    public void WithAllowedPeersFrom_NinePeersInAll_EveryPeerInSetsAllowPeerIncluded()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")], [Endpoint.Parse("198.51.100.7")])
            .WithAllowedPeersFrom(new StringReader(string.Join('\n', Enumerable.Range(1, 8).Select(i => $"10.0.{i}.1"))), "list");

        Assert.Empty(policy.RulePeers);
        Assert.Equal([new KeyValuePair<string, int>("allow_v4", 9)], policy.PeerSetSizes);
    }

    [Fact]
    public void WithAllowedPeersFrom_OneRange_SetsEvenForOnePeer()
    {
        var policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10")]).WithAllowedPeersFrom(new StringReader("10.0.0.5-10.0.0.9:443"), "list");

        Assert.Equal([new KeyValuePair<string, int>("allow_v4_tcp", 1)], policy.PeerSetSizes);
    }

    private static readonly ushort[] Ports = [0, 22, 443];

    private static UInt128 Base(bool v6) => v6 ? PeerRange.ToNumber(System.Net.IPAddress.Parse("2001:db8::").GetAddressBytes()) : 10u << 24;

    /// <summary>A single address, a prefix or a range inside a /16-sized window of one family, so that many overlap or touch.</summary>
    private static PeerRange RandomPeer(Random random)
    {
        bool v6 = random.Next(2) == 1;
        ushort port = Ports[random.Next(Ports.Length)];
        UInt128 first = Base(v6) + (UInt128)random.Next(0, 1 << 16);
        switch (random.Next(3))
        {
            case 0:
                return new PeerRange(v6, first, first, port);
            case 1:
                int hostBits = random.Next(1, 9);
                UInt128 mask = (UInt128.One << hostBits) - 1;
                return new PeerRange(v6, first & ~mask, first | mask, port);
            default:
                return new PeerRange(v6, first, first + (UInt128)random.Next(0, 600), port);
        }
    }

    private static PeerAllowlist Normalize(params string[] peers)
        => PeerAllowlist.Normalize(peers.Select(p => PeerListReader.TryParse(p, out PeerRange range, out string? error) ? range : throw new FormatException(p + ": " + error)));
}
