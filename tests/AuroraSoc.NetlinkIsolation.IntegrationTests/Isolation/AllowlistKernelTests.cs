using System.Globalization;
using System.Runtime.Versioning;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>Large allowlists in the kernel: named sets installed in one transaction, listed as nft lists them, restored without the file.</summary>
[SupportedOSPlatform("linux")]
public sealed class AllowlistKernelTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-allowlist-");

    public void Dispose() => _root.Delete(recursive: true);

    /// <summary>
    /// <paramref name="count"/> distinct IPv4 prefixes /20../32 (some overlapping, some adjacent), deterministic per seed,
    /// optionally with ports, in allowlist syntax.
    /// </summary>
    internal static string RandomIPv4List(int count, int seed, bool ports = false)
    {
        var random = new Random(seed);
        var text = new System.Text.StringBuilder();
        int[] lengths = [20, 22, 24, 24, 26, 28, 30, 32, 32, 32];
        int[] portChoices = [22, 443, 8443, 6514];
        for (int i = 0; i < count; i++)
        {
            int prefix = lengths[random.Next(lengths.Length)];
            uint address = (uint)random.NextInt64(0x0b000000, 0xdf000000) & (prefix == 32 ? uint.MaxValue : ~((1u << (32 - prefix)) - 1));
            if ((address >> 24) == 127)
            {
                address ^= 0x01000000;
            }

            text.Append(CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 255}.{(address >> 8) & 255}.{address & 255}/{prefix}");
            text.Append(ports ? $":{portChoices[random.Next(portChoices.Length)]}\n" : "\n");
        }

        return text.ToString();
    }

    internal static string RandomIPv6List(int count, int seed, bool ports = false)
    {
        var random = new Random(seed);
        var text = new System.Text.StringBuilder();
        int[] lengths = [48, 56, 64, 64, 96, 128];
        for (int i = 0; i < count; i++)
        {
            int prefix = lengths[random.Next(lengths.Length)];
            byte[] bytes = new byte[16];
            random.NextBytes(bytes);
            bytes[0] = 0x20;
            bytes[1] = 0x01;
            for (int bit = prefix; bit < 128; bit++)
            {
                bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
            }

            string address = new System.Net.IPAddress(bytes) + "/" + prefix.ToString(CultureInfo.InvariantCulture);
            text.Append(ports ? $"[{address}]:{(random.Next(2) == 0 ? 443 : 22)}\n" : address + "\n");
        }

        return text.ToString();
    }

    private static IsolationPolicy PolicyWith(string list)
        => new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]).WithAllowedPeersFrom(new StringReader(list), "list");

    [Theory]
    [InlineData("v4", false)]
    [InlineData("v4", true)]
    [InlineData("v6", false)]
    [InlineData("v6", true)]
    public void Isolate_LargeAllowlist_OneTransactionAndShowEqualsNftList(string family, bool ports)
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("allowlist " + family + (ports ? " ports" : string.Empty));
        IsolationPolicy policy = PolicyWith(family == "v4" ? RandomIPv4List(20_000, 1, ports) : RandomIPv6List(20_000, 2, ports));
        using HostIsolator isolator = HostIsolator.Open(ns.Path);

        IsolationResult result = isolator.Isolate(policy);

        using NfTablesConnection connection = NfTablesConnection.Open(ns.Path);
        NftTableSnapshot snapshot = connection.ReadTable(NfProtocolFamily.Inet, "aurorasoc")!;
        Assert.Equal(ns.ListTable("inet", "aurorasoc"), NftSyntaxRenderer.Render(snapshot));
        Assert.Null(IsolationRuleset.Build(policy).DescribeDifference(snapshot, 0));
        Assert.Equal(policy.PeerCount, snapshot.Sets.Sum(s => s.IsConcatenation ? s.Elements.Count : s.Elements.Count(e => !e.IsIntervalEnd)));
        Assert.True(result.BatchBytes > ushort.MaxValue); // far more than one element list: split, still one batch
    }

    [Fact]
    public void Isolate_KernelRefusesTheLastMessageOfALargeBatch_PreviousSetTableExactly()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("allowlist refused late");
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(PolicyWith(RandomIPv4List(5_000, 3)));
        string before = ns.ListRuleset();

        // The refusal comes after every NEWSETELEM of 50,000 peers: the kernel aborts the whole transaction.
        IsolationRuleset large = IsolationRuleset.Build(PolicyWith(RandomIPv4List(50_000, 4, ports: true)));
        IsolationRuleset bad = large.WithAdditionalRule(new NftRule(NfProtocolFamily.Inet, "aurorasoc", IsolationRuleset.OutputChain, [new OpaqueExpression("nosuchexpr", [])]));

        var error = Assert.Throws<IsolationException>(() => isolator.Isolate(bad));

        Assert.Equal(IsolationErrorKind.KernelRejected, error.Kind);
        Assert.Equal(IsolationState.Isolated, error.StateAfter);
        Assert.Equal(before, ns.ListRuleset());
    }

    [Fact]
    public void Guard_HundredThousandElementTableUnchanged_NoDifferenceAndOneMissingElementFound()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("allowlist compare");
        IsolationPolicy policy = PolicyWith(RandomIPv4List(100_000, 5));
        using HostIsolator isolator = HostIsolator.Open(ns.Path);
        isolator.Isolate(policy);
        IsolationRuleset ruleset = IsolationRuleset.Build(policy);
        using NfTablesConnection connection = NfTablesConnection.Open(ns.Path);

        Assert.Null(ruleset.DescribeDifference(connection.ReadTable(NfProtocolFamily.Inet, "aurorasoc")!, 0));

        PeerRange some = policy.PeerSets!.Set(0)[1234];
        ns.Nft($"delete element inet aurorasoc allow_v4 {{ {some} }}");
        Assert.StartsWith("set allow_v4 has", ruleset.DescribeDifference(connection.ReadTable(NfProtocolFamily.Inet, "aurorasoc")!, 0), StringComparison.Ordinal);
    }

    [Fact]
    public void Restore_AfterFlushRuleset_SameHundredThousandElementSetsWithoutTheFile()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("allowlist restore");
        var store = new IntentStore(Path.Combine(_root.FullName, "state"));
        string list = Path.Combine(_root.FullName, "peers.txt");
        File.WriteAllText(list, RandomIPv4List(100_000, 6) + RandomIPv6List(2_000, 7, ports: true));
        IsolationPolicy policy;
        using (var reader = new StreamReader(list))
        {
            policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]).WithAllowedPeersFrom(reader, list);
        }

        using (HostIsolator isolator = HostIsolator.Open(ns.Path))
        {
            new DurableIsolator(isolator, store).Apply(IsolationIntent.Create(ns.Path, policy));
        }

        string installed = ns.ListTable("inet", "aurorasoc");
        File.Delete(list);
        ns.Nft("flush ruleset");
        Assert.Equal(string.Empty, ns.ListRuleset());

        RestoreResult restored = Assert.Single(new IsolationRestorer(store).Restore());

        Assert.Equal(RestoreOutcome.Restored, restored.Outcome);
        Assert.Equal(installed, ns.ListTable("inet", "aurorasoc"));
    }
}
