using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Recording;

/// <summary>isolate --record-blocked, then known traffic, then blocked, show and nft against each other.</summary>
public sealed class BlockedCommandLiveTests
{
    private const int OutboundSyns = 5;
    private const int OutboundDatagrams = 4;
    private const int InboundSyns = 3;

    [Fact]
    public void Blocked_KnownTraffic_ExactCountsPerDirectionAndEndpoint()
    {
        using var site = new RecordingSite();
        Isolate(site);
        AllowedTraffic(site);

        SendKnownTraffic(site);
        ProcessResult blocked = site.Cli("blocked", "--json");

        Assert.Equal(0, blocked.ExitCode);
        AssertKnownCounts(JsonDocument.Parse(blocked.StandardOutput).RootElement, final: false);
    }

    [Fact]
    public void Show_AfterTraffic_EqualsNftListingWithCountersAndLedger()
    {
        using var site = new RecordingSite();
        Isolate(site);
        SendKnownTraffic(site);

        ProcessResult show = site.Cli("show");

        Assert.Equal(0, show.ExitCode);
        string nft = site.Host.ListTable("inet", "aurorasoc");
        Assert.Equal(nft, show.StandardOutput);
        Assert.Contains($"203.0.113.7 . tcp . 443 counter packets {OutboundSyns} bytes ", nft, StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_AgainWithTheSamePolicy_KeepsCountersAndLedger()
    {
        using var site = new RecordingSite();
        Isolate(site);
        SendKnownTraffic(site);

        Isolate(site);
        ProcessResult blocked = site.Cli("blocked", "--json");

        AssertKnownCounts(JsonDocument.Parse(blocked.StandardOutput).RootElement, final: false);
        Assert.Equal(site.Host.ListTable("inet", "aurorasoc"), site.Cli("show").StandardOutput);
    }

    [Fact]
    public void Restore_OverThePresentTable_KeepsCountersAndLedger()
    {
        using var site = new RecordingSite();
        Isolate(site);
        SendKnownTraffic(site);

        Assert.Equal(0, site.Cli("restore").ExitCode);
        ProcessResult blocked = site.Cli("blocked", "--json");

        AssertKnownCounts(JsonDocument.Parse(blocked.StandardOutput).RootElement, final: false);
    }

    [Fact]
    public void Blocked_AfterUnisolate_PrintsTheFinalReport()
    {
        using var site = new RecordingSite();
        Isolate(site);
        SendKnownTraffic(site);

        Assert.Equal(0, site.Cli("unisolate").ExitCode);
        ProcessResult blocked = site.Cli("blocked", "--json");
        ProcessResult text = site.Cli("blocked");

        Assert.Equal(0, blocked.ExitCode);
        AssertKnownCounts(JsonDocument.Parse(blocked.StandardOutput).RootElement, final: true);
        Assert.StartsWith("final report", text.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_TableWithoutRecording_ExitsOneNamingTheFix()
    {
        using var site = new RecordingSite();
        Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514").ExitCode);

        ProcessResult blocked = site.Cli("blocked");

        Assert.Equal(1, blocked.ExitCode);
        Assert.Contains("isolate again with --record-blocked", blocked.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Blocked_NotIsolated_ExitsThree()
    {
        using var site = new RecordingSite();

        Assert.Equal(3, site.Cli("blocked").ExitCode);
    }

    [Fact]
    public void Blocked_Top_LimitsEntriesButNotTotals()
    {
        using var site = new RecordingSite();
        Isolate(site);
        SendKnownTraffic(site);

        JsonElement report = JsonDocument.Parse(site.Cli("blocked", "--json", "--top", "1").StandardOutput).RootElement;

        JsonElement entry = Assert.Single(report.GetProperty("entries").EnumerateArray());
        Assert.Equal("203.0.113.7", entry.GetProperty("address").GetString());
        Assert.Equal(OutboundSyns + OutboundDatagrams, report.GetProperty("totals").GetProperty("output").GetProperty("packets").GetInt64());
    }

    private static void Isolate(RecordingSite site)
        => Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514", "--record-blocked").ExitCode);

    private static void SendKnownTraffic(RecordingSite site)
    {
        site.OutboundTcp(IPAddress.Parse("203.0.113.7"), 443, OutboundSyns);
        site.OutboundUdp(IPAddress.Parse("198.51.100.9"), 53, OutboundDatagrams);
        site.InboundTcp(22, InboundSyns);
    }

    /// <summary>A whole TCP exchange with the collector: allowed both ways, so it must count nothing.</summary>
    private static void AllowedTraffic(RecordingSite site)
    {
        using var listener = site.Peer.RunInside(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(RecordingSite.Collector, 6514));
            socket.Listen();
            return socket;
        });
        site.Host.RunInside(() =>
        {
            using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            client.Connect(RecordingSite.Collector, 6514);
            using Socket accepted = listener.Accept();
            client.Send([1, 2, 3]);
            Assert.Equal(3, accepted.Receive(new byte[8]));
        });
    }

    private static void AssertKnownCounts(JsonElement report, bool final)
    {
        Assert.True(report.GetProperty("ok").GetBoolean());
        Assert.Equal(final, report.GetProperty("final").GetBoolean());
        Assert.False(report.GetProperty("truncated").GetBoolean());
        JsonElement totals = report.GetProperty("totals");
        Assert.Equal(OutboundSyns + OutboundDatagrams, totals.GetProperty("output").GetProperty("packets").GetInt64());
        Assert.Equal(InboundSyns, totals.GetProperty("input").GetProperty("packets").GetInt64());
        Assert.Equal(0, totals.GetProperty("forward").GetProperty("packets").GetInt64());

        string[] entries = [.. report.GetProperty("entries").EnumerateArray().Select(e =>
            $"{e.GetProperty("direction").GetString()} {e.GetProperty("family").GetString()} {e.GetProperty("protocol").GetString()} "
            + $"{e.GetProperty("address").GetString()} {e.GetProperty("port")} {e.GetProperty("packets").GetInt64()}")];
        Assert.Equal(
            [$"output ipv4 tcp 203.0.113.7 443 {OutboundSyns}", $"output ipv4 udp 198.51.100.9 53 {OutboundDatagrams}", $"input ipv4 tcp 10.77.0.3 22 {InboundSyns}"],
            entries);
    }
}
