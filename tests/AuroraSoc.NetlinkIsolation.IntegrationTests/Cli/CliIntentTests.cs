using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// The recorded intent through the real CLI: isolate records it, status reports it, restore puts it back after the
/// namespace lost its table, unisolate forgets it, --ephemeral records nothing. nft is the oracle for the kernel side,
/// the state directory's files for the recorded side. Each test has its own state directory.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliIntentTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private static readonly string[] ContractPolicy =
        ["--collector", "192.0.2.10", "--collector", "[2001:db8::10]:443", "--allow-peer", "198.51.100.0/24", "--allow-dns", "--allow-dhcp", "--mode", "keep"];

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-cli-intent-");

    private string StateDir => Path.Combine(_root.FullName, "state");

    public void Dispose()
    {
        _root.Delete(recursive: true);
        guard.AssertUnchanged();
    }

    [Fact]
    public void Restore_NamespaceRecreatedAfterIsolate_StatusSaysRunRestoreAndRestoreReinstatesContractTable()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli intent: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli intent: isolated, then recreated");

        var isolate = CliProcess.RunIn(jail, ["isolate", .. ContractPolicy, "--netns", target.Path, "--state-dir", StateDir]);
        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        string intentFile = Assert.Single(Directory.GetFiles(StateDir, "*.json"));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(intentFile));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(StateDir));

        Recreate(target);
        Assert.Equal(string.Empty, target.ListRuleset());

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--state-dir", StateDir);
        Assert.Equal(3, status.ExitCode);
        Assert.StartsWith("not isolated — isolation is recorded but not in force: run restore (recorded intent: ", status.StandardOutput, StringComparison.Ordinal);
        var statusJson = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--state-dir", StateDir, "--json");
        Assert.Equal(3, statusJson.ExitCode);
        using (var json = JsonDocument.Parse(statusJson.StandardOutput))
        {
            Assert.Equal("not-isolated", json.RootElement.GetProperty("state").GetString());
            JsonElement intent = json.RootElement.GetProperty("intent");
            Assert.Equal(JsonValueKind.Object, intent.ValueKind);
            Assert.Equal(target.Path, intent.GetProperty("target").GetString());
            Assert.Equal("aurorasoc", intent.GetProperty("table").GetString());
            Assert.Equal(JsonValueKind.Null, intent.GetProperty("reason").ValueKind);
            Assert.Equal(JsonValueKind.String, intent.GetProperty("isolatedAt").ValueKind);
            Assert.Equal(0, intent.GetProperty("isolatedBy").GetProperty("uid").GetInt32());
        }

        string expected = File.ReadAllText(RepositoryPaths.TestVector("contract-example.listing.txt"));
        for (var pass = 0; pass < 2; pass++)
        {
            var restore = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir, "--json");
            Assert.True(restore.ExitCode == 0, restore.StandardError);
            Assert.Equal(string.Empty, restore.StandardError);
            using (var json = JsonDocument.Parse(restore.StandardOutput))
            {
                Assert.True(json.RootElement.GetProperty("ok").GetBoolean());
                JsonElement only = Assert.Single(json.RootElement.GetProperty("targets").EnumerateArray().ToList());
                Assert.Equal(target.Path, only.GetProperty("target").GetString());
                Assert.Equal("aurorasoc", only.GetProperty("table").GetString());
                Assert.Equal("restored", only.GetProperty("outcome").GetString());
            }

            Assert.Equal(expected, target.ListTable("inet", "aurorasoc"));
        }

        var text = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir);
        Assert.Equal(0, text.ExitCode);
        Assert.Equal($"restored inet aurorasoc in {target.Path}\n", text.StandardOutput);
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Restore_NamespaceVanished_SkippedNamespaceGoneExitZeroIntentKept()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli intent: where the CLI runs");
        string vanishedPath;
        using (var vanished = ThrowawayNamespace.Create("cli intent: isolated, then deleted"))
        {
            vanishedPath = vanished.Path;
            var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", vanished.Path, "--state-dir", StateDir);
            Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        }

        var restore = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir, "--json");

        Assert.True(restore.ExitCode == 0, restore.StandardError);
        using (var json = JsonDocument.Parse(restore.StandardOutput))
        {
            JsonElement only = Assert.Single(json.RootElement.GetProperty("targets").EnumerateArray().ToList());
            Assert.Equal(vanishedPath, only.GetProperty("target").GetString());
            Assert.Equal("skipped-namespace-gone", only.GetProperty("outcome").GetString());
        }

        var text = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir);
        Assert.Equal(0, text.ExitCode);
        Assert.StartsWith($"skipped inet aurorasoc in {vanishedPath}: ", text.StandardOutput, StringComparison.Ordinal);
        Assert.EndsWith("namespace gone (intent kept)\n", text.StandardOutput, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(StateDir, "*.json"));
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Restore_OneIntentFileCorrupt_ExitOneNamingFileWhileOtherTargetRestored()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli intent: where the CLI runs");
        using var healthy = ThrowawayNamespace.Create("cli intent: restored beside a corrupt intent");
        using var corrupted = ThrowawayNamespace.Create("cli intent: its intent file is corrupted");
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", healthy.Path, "--state-dir", StateDir).ExitCode);
        string healthyFile = Assert.Single(Directory.GetFiles(StateDir, "*.json"));
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", corrupted.Path, "--state-dir", StateDir).ExitCode);
        string corruptFile = Assert.Single(Directory.GetFiles(StateDir, "*.json"), file => file != healthyFile);
        File.WriteAllText(corruptFile, "{ not json");
        healthy.Nft("delete table inet aurorasoc");

        var restore = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir, "--json");

        Assert.Equal(1, restore.ExitCode);
        Assert.Contains(corruptFile, Assert.Single(CliProcess.StandardErrorLines(restore)), StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(restore.StandardOutput))
        {
            Assert.False(json.RootElement.GetProperty("ok").GetBoolean());
            var targets = json.RootElement.GetProperty("targets").EnumerateArray().ToList();
            Assert.Equal(2, targets.Count);
            Assert.Contains(targets, t => t.GetProperty("target").GetString() == healthy.Path && t.GetProperty("outcome").GetString() == "restored");
            Assert.Contains(targets, t => t.GetProperty("target").GetString() == corruptFile && t.GetProperty("outcome").GetString() == "failed");
        }

        Assert.Contains("chain input", healthy.ListTable("inet", "aurorasoc"), StringComparison.Ordinal);
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Unisolate_RecordedIntent_RemovesIntentFileAndStatusReportsNoIntent()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli intent: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli intent: isolated, then released");
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path, "--state-dir", StateDir).ExitCode);
        Assert.Single(Directory.GetFiles(StateDir, "*.json"));

        var unisolate = CliProcess.RunIn(jail, "unisolate", "--netns", target.Path, "--state-dir", StateDir);

        Assert.True(unisolate.ExitCode == 0, unisolate.StandardError);
        Assert.Empty(Directory.GetFiles(StateDir, "*.json"));
        Assert.Equal(string.Empty, target.ListRuleset());
        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--state-dir", StateDir, "--json");
        Assert.Equal(3, status.ExitCode);
        using var json = JsonDocument.Parse(status.StandardOutput);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("intent").ValueKind);
    }

    [Fact]
    public void Isolate_Ephemeral_RecordsNothingAndRestoreHasNothingToDo()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli intent: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli intent: isolated without a record");

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path, "--state-dir", StateDir, "--ephemeral");

        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        Assert.Contains("table inet aurorasoc", target.ListRuleset(), StringComparison.Ordinal);
        Assert.False(Directory.Exists(StateDir) && Directory.GetFiles(StateDir, "*.json").Length > 0);
        var restore = CliProcess.RunIn(jail, "restore", "--state-dir", StateDir, "--json");
        Assert.Equal(0, restore.ExitCode);
        using var json = JsonDocument.Parse(restore.StandardOutput);
        Assert.Empty(json.RootElement.GetProperty("targets").EnumerateArray());
    }

    /// <summary>What a reboot does to a named namespace: the same path, a new namespace with an empty ruleset.</summary>
    private static void Recreate(ThrowawayNamespace ns)
    {
        ProcessRunner.Run("ip", "netns", "del", ns.Name).EnsureSuccess();
        ProcessRunner.Run("ip", "netns", "add", ns.Name).EnsureSuccess();
        ProcessRunner.Run("ip", "-n", ns.Name, "link", "set", "lo", "up").EnsureSuccess();
    }
}
