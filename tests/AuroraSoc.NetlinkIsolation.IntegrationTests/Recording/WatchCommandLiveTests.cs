using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Recording;

/// <summary>watch against a recording isolation in a throwaway namespace: known senders, a flood, a second listener.</summary>
public sealed class WatchCommandLiveTests
{
    private const string Uid = "1234";
    private const string Gid = "4321";
    private const int FloodPackets = 1000;

    [Fact]
    public async Task Watch_KnownProcessThreeAttempts_PrintsItsUidGidPidExeThenTheSummary()
    {
        using var site = new RecordingSite();
        Isolate(site);
        string bash = Requirements.FindOnPath("bash") ?? throw new InvalidOperationException("bash is required");
        string expectedExe = site.Host.Exec("realpath", bash).EnsureSuccess().StandardOutput.Trim();

        Task<ProcessResult> watch = StartWatch(site, "--json", "--count", "3", "--timeout", "60");
        // A connected UDP socket held open after its three attempts, by a process of known uid and gid, so its owner can be looked
        // up; the sleep neither inherits the socket nor replaces the shell (bash execs a last simple command in place).
        ProcessResult sender = site.Host.Exec(
            "setpriv", "--reuid", Uid, "--regid", Gid, "--clear-groups", bash, "-c",
            "exec 3>/dev/udp/198.51.100.9/53; echo $$; for i in 1 2 3; do echo x >&3; sleep 0.2; done 2>/dev/null; sleep 3 3>&-; true");
        ProcessResult result = await watch;

        Assert.Equal(0, result.ExitCode);
        string pid = sender.StandardOutput.Trim();
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        foreach (string line in lines[..3])
        {
            JsonElement packet = JsonDocument.Parse(line).RootElement;
            Assert.Equal("output", packet.GetProperty("direction").GetString());
            Assert.Equal("ipv4", packet.GetProperty("family").GetString());
            Assert.Equal("udp", packet.GetProperty("protocol").GetString());
            Assert.Equal("10.77.0.1", packet.GetProperty("source").GetString());
            Assert.Equal("198.51.100.9", packet.GetProperty("destination").GetString());
            Assert.Equal(53, packet.GetProperty("destinationPort").GetInt32());
            Assert.Equal(Uid, packet.GetProperty("uid").GetInt64().ToString(CultureInfo.InvariantCulture));
            Assert.Equal(Gid, packet.GetProperty("gid").GetInt64().ToString(CultureInfo.InvariantCulture));
            Assert.Equal(pid, packet.GetProperty("pid").GetInt64().ToString(CultureInfo.InvariantCulture));
            Assert.Equal(expectedExe, packet.GetProperty("exe").GetString());
        }

        JsonElement summary = JsonDocument.Parse(lines[3]).RootElement.GetProperty("summary");
        Assert.Equal(3, summary.GetProperty("printed").GetInt64());
        Assert.Equal(0, summary.GetProperty("lost").GetInt64());
    }

    [Fact]
    public async Task Watch_FloodOfBlockedPackets_PrintsAtMostTheRateLimitAndCountsTheRestSuppressed()
    {
        using var site = new RecordingSite();
        Isolate(site);
        var elapsed = Stopwatch.StartNew();

        Task<ProcessResult> watch = StartWatch(site, "--json", "--timeout", "3");
        site.OutboundUdp(System.Net.IPAddress.Parse("198.51.100.9"), 53, FloodPackets);
        ProcessResult result = await watch;
        double seconds = elapsed.Elapsed.TotalSeconds;

        Assert.Equal(0, result.ExitCode);
        string[] lines = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        JsonElement summary = JsonDocument.Parse(lines[^1]).RootElement.GetProperty("summary");
        long printed = summary.GetProperty("printed").GetInt64();
        Assert.Equal(lines.Length - 1, printed);
        // The rule's limit: bursts of 20, then 10 per second, over at most the time the watch ran.
        Assert.InRange(printed, 1, 20 + (long)Math.Ceiling(10 * seconds));
        Assert.Equal(FloodPackets, printed + summary.GetProperty("suppressed").GetInt64() + summary.GetProperty("lost").GetInt64());
    }

    [Fact]
    public async Task Watch_SecondListenerOnTheSameTable_ExitsOneNamingTheFirst()
    {
        using var site = new RecordingSite();
        Isolate(site);
        Task<ProcessResult> first = StartWatch(site, "--timeout", "10");

        ProcessResult second = site.Cli("watch", "--timeout", "1");
        await first;

        Assert.Equal(1, second.ExitCode);
        Assert.Contains("another listener holds NFLOG group", second.StandardError, StringComparison.Ordinal);
        Assert.Contains("aurorasoc-isolate", second.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Watch_NotIsolated_ExitsThree()
    {
        using var site = new RecordingSite();

        Assert.Equal(3, site.Cli("watch", "--timeout", "1").ExitCode);
    }

    [Fact]
    public void Watch_TableWithoutRecording_ExitsOneNamingTheFix()
    {
        using var site = new RecordingSite();
        Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514").ExitCode);

        ProcessResult watch = site.Cli("watch", "--timeout", "1");

        Assert.Equal(1, watch.ExitCode);
        Assert.Contains("isolate again with --record-blocked", watch.StandardError, StringComparison.Ordinal);
    }

    private static void Isolate(RecordingSite site)
        => Assert.Equal(0, site.Cli("isolate", "--collector", "10.77.0.2:6514", "--record-blocked").ExitCode);

    /// <summary>Starts watch and returns once it holds the table's NFLOG group (listed in the namespace's nfnetlink_log).</summary>
    private static Task<ProcessResult> StartWatch(RecordingSite site, params string[] args)
    {
        Task<ProcessResult> watch = Task.Run(() => site.Cli(["watch", .. args]));
        while (!watch.IsCompleted && site.Host.Exec("cat", "/proc/net/netfilter/nfnetlink_log").StandardOutput.Trim().Length == 0)
        {
            Thread.Sleep(50);
        }

        return watch;
    }
}
