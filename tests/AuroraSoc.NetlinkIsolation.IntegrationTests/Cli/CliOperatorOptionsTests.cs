using System.Net.Sockets;
using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// The operator options of cli.md through the real CLI: host names resolved from the jail's own hosts file, the
/// reason on the table, collector verification with rollback of table and intent, strict mode cutting open
/// connections. nft and the state directory's files are the oracles; each test has its own state directory.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliOperatorOptionsTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private const string Reason = "INC-4711 isolated by soc@example.com (Müller)";
    private const int CollectorPort = 6514;
    private const int ClosedPort = 7777;
    private const int PeerPort = 4444;

    // Out of order, both families, one address twice: the CLI must sort, deduplicate and put IPv4 first.
    private const string Hosts = "192.0.2.20 edr.test\n2001:db8::10 edr.test\n192.0.2.10 edr.test\n2001:db8::9 edr.test\n192.0.2.10 edr.test\n198.51.100.7 patch.test\n";

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-cli-operator-");

    private string StateDir => Path.Combine(_root.FullName, "state");

    public void Dispose()
    {
        _root.Delete(recursive: true);
        guard.AssertUnchanged();
    }

    [Fact]
    public void Isolate_HostNamesAndReason_ResolvedInOrderOnTheTableAndRestoredWithoutDns()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli operator options: isolated by name");
        using (NetnsResolverFiles.Write(jail, Hosts))
        {
            var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "edr.test:6514", "--allow-peer", "patch.test", "--reason", Reason, "--netns", target.Path, "--state-dir", StateDir, "--json");

            Assert.True(isolate.ExitCode == 0, isolate.StandardError);
            using var json = JsonDocument.Parse(isolate.StandardOutput);
            JsonElement resolved = json.RootElement.GetProperty("resolved");
            Assert.Equal(["192.0.2.10", "192.0.2.20", "2001:db8::9", "2001:db8::10"], Strings(resolved.GetProperty("edr.test")));
            Assert.Equal(["198.51.100.7"], Strings(resolved.GetProperty("patch.test")));
            Assert.Empty(json.RootElement.GetProperty("verified").EnumerateArray());
            Assert.False(json.RootElement.GetProperty("rolledBack").GetBoolean());
            Assert.Equal(0, json.RootElement.GetProperty("socketsDestroyed").GetInt32());
        }

        string listing = target.ListTable("inet", "aurorasoc");
        Assert.StartsWith($"table inet aurorasoc {{\n\tcomment \"{Reason}\"\n\tchain input {{\n", listing, StringComparison.Ordinal);
        string[] collectorRules = ["ip daddr 192.0.2.10 tcp dport 6514 accept", "ip daddr 192.0.2.20 tcp dport 6514 accept", "ip6 daddr 2001:db8::9 tcp dport 6514 accept", "ip6 daddr 2001:db8::10 tcp dport 6514 accept", "ip daddr 198.51.100.7 accept"];
        int[] positions = [.. collectorRules.Select(rule => listing.IndexOf(rule, StringComparison.Ordinal))];
        Assert.True(positions.All(p => p >= 0) && positions.SequenceEqual(positions.Order()), listing);

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--json");
        Assert.Equal(0, status.ExitCode);
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal(Reason, json.RootElement.GetProperty("reason").GetString());
        }

        // The reason is on the table itself: status reads it without the state directory.
        var statusText = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--state-dir", Path.Combine(_root.FullName, "empty"));
        Assert.Equal($"isolated (reason \"{Reason}\")\n", statusText.StandardOutput);

        // Restore with the hosts file gone and a resolver that refuses: the recorded addresses are used, not DNS.
        target.Nft("delete table inet aurorasoc");
        var restore = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir);
        Assert.True(restore.ExitCode == 0, restore.StandardError);
        Assert.Equal(listing, target.ListTable("inet", "aurorasoc"));
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Show_Json_TextIsTheListingAndChainsCarryHookPolicyAndRules()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli operator options: shown as JSON");
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10:6514", "--reason", Reason, "--netns", target.Path, "--ephemeral").ExitCode);

        var show = CliProcess.RunIn(jail, "show", "--netns", target.Path, "--json");

        Assert.True(show.ExitCode == 0, show.StandardError);
        using var json = JsonDocument.Parse(show.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.Equal(("show", true, "isolated", "aurorasoc"), (root.GetProperty("command").GetString(), root.GetProperty("ok").GetBoolean(), root.GetProperty("state").GetString(), root.GetProperty("table").GetString()));
        Assert.Equal(target.ListTable("inet", "aurorasoc"), root.GetProperty("text").GetString());
        Assert.Equal(Reason, root.GetProperty("reason").GetString());
        JsonElement output = root.GetProperty("chains").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "output");
        Assert.Equal(("filter", "output", 0, "drop"), (output.GetProperty("type").GetString(), output.GetProperty("hook").GetString(), output.GetProperty("priority").GetInt32(), output.GetProperty("policy").GetString()));
        Assert.Contains("ip daddr 192.0.2.10 tcp dport 6514 accept", Strings(output.GetProperty("rules"), "text"));

        using var empty = ThrowawayNamespace.Create("cli operator options: nothing to show");
        var missing = CliProcess.RunIn(jail, "show", "--netns", empty.Path, "--json");
        Assert.Equal(3, missing.ExitCode);
        using var missingJson = JsonDocument.Parse(missing.StandardOutput);
        Assert.Equal(JsonValueKind.Null, missingJson.RootElement.GetProperty("text").ValueKind);
    }

    [Fact]
    public void Isolate_UnresolvableName_ExitOneNamingItAndNothingChanged()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli operator options: not isolated for want of a name");
        using NetnsResolverFiles files = NetnsResolverFiles.Write(jail, Hosts);

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "edr.test:6514", "--collector", "missing.test:6514", "--netns", target.Path, "--state-dir", StateDir, "--json");

        Assert.Equal(1, isolate.ExitCode);
        Assert.Contains("'missing.test'", Assert.Single(CliProcess.StandardErrorLines(isolate)), StringComparison.Ordinal);
        using var json = JsonDocument.Parse(isolate.StandardOutput);
        Assert.Equal("host-name-unresolved", json.RootElement.GetProperty("error").GetProperty("kind").GetString());
        Assert.Equal(string.Empty, target.ListRuleset());
        Assert.False(Directory.Exists(StateDir) && Directory.GetFiles(StateDir, "*.json").Length > 0);
    }

    [Fact]
    public void Isolate_VerifyCollectorOneListening_VerifiedListedAndKept()
    {
        using Topology site = Topology.Create();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, CollectorPort);

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", $"{site.CollectorIPv4}:{CollectorPort}", "--collector", $"{site.PeerIPv4}:{ClosedPort}", "--verify-collector", "--netns", site.Host.Path, "--state-dir", StateDir, "--json");

        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        using var json = JsonDocument.Parse(isolate.StandardOutput);
        JsonElement[] verified = [.. json.RootElement.GetProperty("verified").EnumerateArray()];
        Assert.Equal(2, verified.Length);
        Assert.Equal(($"{site.CollectorIPv4}:{CollectorPort}", true, JsonValueKind.Null), (verified[0].GetProperty("endpoint").GetString(), verified[0].GetProperty("ok").GetBoolean(), verified[0].GetProperty("error").ValueKind));
        Assert.Equal(JsonValueKind.Number, verified[0].GetProperty("milliseconds").ValueKind);
        Assert.Equal(($"{site.PeerIPv4}:{ClosedPort}", false, "connection refused"), (verified[1].GetProperty("endpoint").GetString(), verified[1].GetProperty("ok").GetBoolean(), verified[1].GetProperty("error").GetString()));
        Assert.False(json.RootElement.GetProperty("rolledBack").GetBoolean());
        Assert.True(collector.WaitForAccepted(1, TimeSpan.FromSeconds(5)));
        Assert.Contains("table inet aurorasoc", site.Host.ListRuleset(), StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_VerifyFailsAfterAnotherPolicy_PreviousTableAndIntentExactlyBack()
    {
        using Topology site = Topology.Create();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        var first = CliProcess.RunIn(jail, "isolate", "--collector", $"{site.CollectorIPv4}:{CollectorPort}", "--allow-peer", "198.51.100.0/24", "--allow-dns", "--reason", "before", "--netns", site.Host.Path, "--state-dir", StateDir);
        Assert.True(first.ExitCode == 0, first.StandardError);
        string listing = site.Host.ListTable("inet", "aurorasoc");
        string intentFile = Assert.Single(Directory.GetFiles(StateDir, "*.json"));
        byte[] intent = File.ReadAllBytes(intentFile);

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", $"{site.PeerIPv4}:{ClosedPort}", "--verify-collector", "--verify-timeout", "2", "--reason", "after", "--netns", site.Host.Path, "--state-dir", StateDir, "--json");

        Assert.Equal(1, isolate.ExitCode);
        Assert.Equal($"aurorasoc-isolate: rolled back: no collector reachable: {site.PeerIPv4}:{ClosedPort} connection refused", Assert.Single(CliProcess.StandardErrorLines(isolate)));
        using (var json = JsonDocument.Parse(isolate.StandardOutput))
        {
            JsonElement root = json.RootElement;
            Assert.Equal((false, true, "isolated", "collector-unreachable"), (root.GetProperty("ok").GetBoolean(), root.GetProperty("rolledBack").GetBoolean(), root.GetProperty("state").GetString(), root.GetProperty("error").GetProperty("kind").GetString()));
            JsonElement check = Assert.Single(root.GetProperty("verified").EnumerateArray().ToList());
            Assert.Equal((false, "connection refused"), (check.GetProperty("ok").GetBoolean(), check.GetProperty("error").GetString()));
        }

        Assert.Equal(listing, site.Host.ListTable("inet", "aurorasoc"));
        Assert.Equal(intent, File.ReadAllBytes(intentFile));
    }

    [Fact]
    public void Isolate_VerifyFailsWhenNotIsolated_NoTableNoIntentAndTextNamesTheCollector()
    {
        using Topology site = Topology.Create();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", $"{site.PeerIPv4}:{ClosedPort}", "--verify-collector", "--netns", site.Host.Path, "--state-dir", StateDir);

        Assert.Equal(1, isolate.ExitCode);
        Assert.Equal($"aurorasoc-isolate: rolled back: no collector reachable: {site.PeerIPv4}:{ClosedPort} connection refused\n", isolate.StandardError);
        Assert.Equal(string.Empty, isolate.StandardOutput);
        Assert.Equal(string.Empty, site.Host.ListRuleset());
        Assert.False(Directory.Exists(StateDir) && Directory.GetFiles(StateDir, "*.json").Length > 0);
    }

    [Fact]
    public void Isolate_StrictWithIdleConnections_PeerCutCollectorKeptAndCountReported()
    {
        using Topology site = Topology.Create();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        using NamespaceTcpListener collector = NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv6, CollectorPort);
        using NamespaceTcpListener peer = NamespaceSockets.StartTcpListener(site.Lan, site.PeerIPv6, PeerPort);
        using NamespaceTcpConnection toCollector = NamespaceSockets.TcpOpen(site.Host, site.CollectorIPv6, CollectorPort, TimeSpan.FromSeconds(5));
        using NamespaceTcpConnection toPeer = NamespaceSockets.TcpOpen(site.Host, site.PeerIPv6, PeerPort, TimeSpan.FromSeconds(5));

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", $"[{site.CollectorIPv6}]:{CollectorPort}", "--mode", "strict", "--netns", site.Host.Path, "--ephemeral");

        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        Assert.Equal(string.Empty, isolate.StandardError);
        Assert.Contains("\n1 connections cut\n", isolate.StandardOutput, StringComparison.Ordinal);
        ExchangeResult cut = toPeer.Exchange("anyone there?"u8.ToArray(), TimeSpan.FromSeconds(2));
        Assert.Equal(SocketError.ConnectionAborted, cut.SocketError);
        Assert.DoesNotContain($"[{site.PeerIPv6}]:{PeerPort}", Established(site.Host), StringComparison.Ordinal);
        Assert.True(toCollector.Exchange("still here"u8.ToArray(), TimeSpan.FromSeconds(5)).Replied);
    }

    [Fact]
    public void Isolate_KeepWithIdleConnections_NothingCutAndZeroReported()
    {
        using Topology site = Topology.Create();
        using var jail = ThrowawayNamespace.Create("cli operator options: where the CLI runs");
        using NamespaceTcpListener peer = NamespaceSockets.StartTcpListener(site.Lan, site.PeerIPv4, PeerPort);
        using NamespaceTcpConnection toPeer = NamespaceSockets.TcpOpen(site.Host, site.PeerIPv4, PeerPort, TimeSpan.FromSeconds(5));
        string peerEnd = $"{site.PeerIPv4}:{PeerPort}";
        Assert.Contains(peerEnd, Established(site.Host), StringComparison.Ordinal);

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", $"{site.CollectorIPv4}:{CollectorPort}", "--netns", site.Host.Path, "--ephemeral", "--json");

        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        using var json = JsonDocument.Parse(isolate.StandardOutput);
        Assert.Equal(0, json.RootElement.GetProperty("socketsDestroyed").GetInt32());
        Assert.Contains(peerEnd, Established(site.Host), StringComparison.Ordinal);
    }

    /// <summary>The namespace's established TCP connections as <c>ss</c> lists them (the kernel's socket table).</summary>
    private static string Established(ThrowawayNamespace ns) => ns.Exec("ss", "-Htn", "state", "established").EnsureSuccess().StandardOutput;

    private static string[] Strings(JsonElement array, string? property = null)
        => [.. array.EnumerateArray().Select(e => (property is null ? e.GetString() : e.GetProperty(property).GetString()) ?? "(null)")];
}
