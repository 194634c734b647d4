using System.Net;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Recording;

/// <summary>
/// --record-blocked over a large allowlist: one transaction declares the allowlist's interval sets and the recording's
/// ledgers and anonymous sets (their NFTA_SET_IDs numbered on across both), and nft reads the result back as its own.
/// </summary>
public sealed class RecordingWithAllowlistLiveTests : IDisposable
{
    private const int BlockedSyns = 3;
    private const int AllowedSyns = 2;

    // Twelve peers, more than the 8 kept as rules, so they become named sets: plain, ranges, and one peer with a port
    // (10.77.0.3 on 8080/tcp, a concatenated interval set), which the test reaches to show allowed traffic counts nothing.
    private const string Peers = """
        198.18.0.1
        198.18.0.2
        198.18.0.3
        198.18.0.4
        198.18.0.10-198.18.0.20
        198.18.1.0/24
        198.18.2.0/24
        198.18.3.7
        198.18.4.7
        198.18.5.7
        2001:db8::/64
        10.77.0.3:8080
        """;

    private readonly string _peerFile = Path.Combine(Directory.CreateTempSubdirectory("aurorasoc-recording-peers-").FullName, "peers.txt");

    public RecordingWithAllowlistLiveTests() => File.WriteAllText(_peerFile, Peers + "\n");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_peerFile)!, recursive: true);

    [Fact]
    public void Isolate_RecordBlockedWithLargeAllowlist_NftReadsItBackAndOnlyBlockedTrafficIsRecorded()
    {
        using var site = new RecordingSite();
        Isolate(site);

        site.OutboundTcp(RecordingSite.Stranger, 8080, AllowedSyns);
        site.OutboundTcp(IPAddress.Parse("203.0.113.7"), 443, BlockedSyns);

        string nft = site.Host.ListTable("inet", "aurorasoc");
        Assert.Equal(nft, site.Cli("show").StandardOutput);
        Assert.Contains("set allow_v4_tcp {", nft, StringComparison.Ordinal);
        Assert.Contains("set blocked_out_v4 {", nft, StringComparison.Ordinal);
        Assert.Equal(0, site.Host.NftTry("-c -f -", "flush ruleset\n" + site.Host.ListRuleset()).ExitCode);
        Assert.Equal(0, site.Cli("status").ExitCode);
        AssertOnlyTheBlockedSyns(site);
    }

    [Fact]
    public void Isolate_AgainWithRecordBlockedAndLargeAllowlist_KeepsTheLedgerAndTheSets()
    {
        using var site = new RecordingSite();
        Isolate(site);
        site.OutboundTcp(IPAddress.Parse("203.0.113.7"), 443, BlockedSyns);
        string before = site.Host.ListTable("inet", "aurorasoc");

        Isolate(site);

        Assert.Equal(before, site.Host.ListTable("inet", "aurorasoc"));
        AssertOnlyTheBlockedSyns(site);
    }

    private void Isolate(RecordingSite site)
        => Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514", "--allow-peers-from", _peerFile, "--record-blocked").ExitCode);

    private static void AssertOnlyTheBlockedSyns(RecordingSite site)
    {
        JsonElement report = JsonDocument.Parse(site.Cli("blocked", "--json").StandardOutput).RootElement;
        Assert.Equal(BlockedSyns, report.GetProperty("totals").GetProperty("output").GetProperty("packets").GetInt64());
        JsonElement entry = Assert.Single(report.GetProperty("entries").EnumerateArray());
        Assert.Equal("203.0.113.7", entry.GetProperty("address").GetString());
    }
}
