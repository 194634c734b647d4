using System.Net;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Recording;

/// <summary>A ledger at its 65,536 entries: new endpoints are no longer remembered, the counters stay exact, nothing fails.</summary>
public sealed class LedgerCapacityLiveTests
{
    [Fact]
    public void Blocked_MoreEndpointsThanTheLedgerHolds_TruncatedWithExactTotals()
    {
        using var site = new RecordingSite();
        Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514", "--record-blocked").ExitCode);

        // 65,535 ports of one address and 200 of another: 65,735 endpoints, one datagram each.
        site.OutboundUdpToPorts(IPAddress.Parse("198.51.100.9"), 1, 65535);
        site.OutboundUdpToPorts(IPAddress.Parse("198.51.100.10"), 1, 200);
        const int sent = 65535 + 200;

        ProcessResult blocked = site.Cli("blocked", "--json", "--top", "0");
        Assert.Equal(0, blocked.ExitCode);
        JsonElement report = JsonDocument.Parse(blocked.StandardOutput).RootElement;
        Assert.True(report.GetProperty("truncated").GetBoolean());
        Assert.Equal(sent, report.GetProperty("totals").GetProperty("output").GetProperty("packets").GetInt64());
        Assert.Equal(65536, report.GetProperty("entries").GetArrayLength());

        // A full ledger is carried over a re-isolate too (65,536 elements created with their counters in the one batch).
        Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514", "--record-blocked").ExitCode);
        JsonElement again = JsonDocument.Parse(site.Cli("blocked", "--json", "--top", "1").StandardOutput).RootElement;
        Assert.True(again.GetProperty("truncated").GetBoolean());
        Assert.Equal(sent, again.GetProperty("totals").GetProperty("output").GetProperty("packets").GetInt64());
    }
}
