using System.Text.Json;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Agents;

/// <summary>
/// The real CLI with <c>--agent-cgroup</c>, <c>--agent-user</c>, <c>--agent-group</c> on a throwaway namespace named
/// with <c>--netns</c> (so it sees this host's cgroup mount, as operators are told to run it): <c>show</c> equals
/// <c>nft list table</c> for each kind, bad input leaves the ruleset as it was with the right exit code, and a cgroup
/// removed and created again is reported stale (degraded, exit 4) until <c>restore</c> re-resolves it; a cgroup that
/// does not exist at restore is installed as id 0 (degraded) rather than as the id it had.
/// </summary>
public sealed class AgentIdentityCliTests : IDisposable
{
    private readonly ThrowawayNamespace _namespace;
    private readonly DirectoryInfo _state = Directory.CreateTempSubdirectory("aurorasoc-agent-state-");
    private readonly TestCgroup _cgroup;

    public AgentIdentityCliTests()
    {
        Requirements.RequireNfTables();
        _cgroup = TestCgroup.Create();
        _namespace = ThrowawayNamespace.Create("agent identity CLI");
    }

    public void Dispose()
    {
        _namespace.Dispose();
        _cgroup.Dispose();
        _state.Delete(recursive: true);
    }

    [Theory]
    [InlineData("--agent-cgroup", null)]
    [InlineData("--agent-user", "nobody")]
    [InlineData("--agent-group", "0")]
    public void Show_EachIdentityKind_EqualsNftListTable(string option, string? value)
    {
        Cli("isolate", "--collector", "192.0.2.10:6514", option, value ?? _cgroup.RelativePath).EnsureSuccess();

        string show = Cli("show").EnsureSuccess().StandardOutput;

        Assert.Equal(NftListTable(), show);
        Assert.Contains(option switch
        {
            "--agent-cgroup" => $"socket cgroupv2 level 1 \"{Path.GetRelativePath("/sys/fs/cgroup", _cgroup.AbsolutePath)}\" accept",
            "--agent-user" => "meta skuid 65534 accept",
            _ => "meta skgid 0 accept",
        }, show, StringComparison.Ordinal);
    }

    [Fact]
    public void Isolate_Json_ListsEachIdentityAsResolved()
    {
        ProcessResult run = Cli("isolate", "--collector", "192.0.2.10:6514", "--agent-user", "nobody", "--agent-cgroup", _cgroup.RelativePath, "--json").EnsureSuccess();

        using JsonDocument json = JsonDocument.Parse(run.StandardOutput);
        JsonElement[] agents = [.. json.RootElement.GetProperty("agent").EnumerateArray()];
        Assert.Equal(2, agents.Length);
        Assert.Equal(("user", "nobody", 65534UL, JsonValueKind.Null), (agents[0].GetProperty("kind").GetString(), agents[0].GetProperty("value").GetString(), agents[0].GetProperty("id").GetUInt64(), agents[0].GetProperty("level").ValueKind));
        Assert.Equal(("cgroup", _cgroup.RelativePath, 1), (agents[1].GetProperty("kind").GetString(), agents[1].GetProperty("value").GetString(), agents[1].GetProperty("level").GetInt32()));
        Assert.NotEqual(0UL, agents[1].GetProperty("id").GetUInt64());
    }

    [Theory]
    [InlineData(2, "--agent-cgroup", "")]
    [InlineData(2, "--agent-cgroup", "pid:abc")]
    [InlineData(1, "--agent-cgroup", "pid:999999999")]
    [InlineData(1, "--agent-cgroup", "aurorasoc-test-never-created")]
    [InlineData(2, "--agent-cgroup", "../etc")]
    [InlineData(2, "--agent-cgroup", "/etc/aurorasoc")]
    [InlineData(1, "--agent-user", "aurorasoc-no-such-user")]
    [InlineData(1, "--agent-group", "aurorasoc-no-such-group")]
    public void Isolate_BadIdentity_ExitCodeLineNamingItRulesetUnchanged(int exitCode, string option, string value)
    {
        Cli("isolate", "--collector", "192.0.2.10:6514", "--agent-user", "0").EnsureSuccess();
        string before = NftListTable();

        ProcessResult run = Cli("isolate", "--collector", "192.0.2.10:6514", option, value);

        Assert.Equal(exitCode, run.ExitCode);
        string line = Assert.Single(CliProcess.StandardErrorLines(run));
        Assert.Contains($"{option} '{value}'", line, StringComparison.Ordinal);
        Assert.Equal(before, NftListTable());
    }

    [Fact]
    public void Isolate_NineIdentities_ExitTwoRulesetUnchanged()
    {
        string before = NftListTable();
        string[] nine = [.. Enumerable.Range(1, 9).SelectMany(i => new[] { "--agent-user", i.ToString(System.Globalization.CultureInfo.InvariantCulture) })];

        ProcessResult run = Cli(["isolate", "--collector", "192.0.2.10:6514", .. nine]);

        Assert.Equal(2, run.ExitCode);
        Assert.Contains("at most 8", Assert.Single(CliProcess.StandardErrorLines(run)), StringComparison.Ordinal);
        Assert.Equal(before, NftListTable());
    }

    [Fact]
    public void Status_CgroupRecreated_StaleUntilRestoreThenIsolated()
    {
        Cli("isolate", "--collector", "192.0.2.10:6514", "--agent-cgroup", _cgroup.RelativePath).EnsureSuccess();
        Assert.Equal(0, Cli("status").ExitCode);

        _cgroup.Recreate();
        ProcessResult stale = Cli("status", "--json");
        ProcessResult restored = Cli("restore");
        ProcessResult after = Cli("status", "--json");

        Assert.Equal(4, stale.ExitCode);
        using (JsonDocument json = JsonDocument.Parse(stale.StandardOutput))
        {
            Assert.Equal("degraded", json.RootElement.GetProperty("state").GetString());
            Assert.True(json.RootElement.GetProperty("agent")[0].GetProperty("stale").GetBoolean());
            Assert.Contains(json.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains(_cgroup.RelativePath, StringComparison.Ordinal) && p.GetString()!.Contains("run restore", StringComparison.Ordinal));
        }

        Assert.Equal(0, restored.ExitCode);
        Assert.Equal(0, after.ExitCode);
        using (JsonDocument json = JsonDocument.Parse(after.StandardOutput))
        {
            Assert.False(json.RootElement.GetProperty("agent")[0].GetProperty("stale").GetBoolean());
        }
    }

    [Fact]
    public void Restore_CgroupAbsent_InstalledAsIdZeroDegradedThenRepairedWhenItExists()
    {
        Cli("isolate", "--collector", "192.0.2.10:6514", "--agent-cgroup", _cgroup.RelativePath).EnsureSuccess();
        // What a reboot leaves: no table, the intent kept, the agent's cgroup not created yet.
        ProcessRunner.Run("nsenter", "--net=" + _namespace.Path, "nft", "delete", "table", "inet", "aurorasoc").EnsureSuccess();
        _cgroup.RemoveTree();

        ProcessResult restore = Cli("restore", "--json");

        Assert.Equal(0, restore.ExitCode);
        using (JsonDocument json = JsonDocument.Parse(restore.StandardOutput))
        {
            Assert.Equal("degraded", json.RootElement.GetProperty("targets")[0].GetProperty("outcome").GetString());
        }

        Assert.Contains("socket cgroupv2 level 1 0 accept", NftListTable(), StringComparison.Ordinal);
        Assert.Equal(4, Cli("status").ExitCode);

        Directory.CreateDirectory(_cgroup.AbsolutePath);
        Assert.Equal(0, Cli("restore").ExitCode);
        Assert.Equal(0, Cli("status").ExitCode);
    }

    private ProcessResult Cli(params string[] args)
    {
        bool stateful = args[0] is "isolate" or "unisolate" or "status" or "restore";
        bool targeted = args[0] != "restore";
        string[] full = [.. args];
        if (targeted)
        {
            full = [.. full, "--netns", _namespace.Path];
        }

        if (stateful)
        {
            full = [.. full, "--state-dir", _state.FullName];
        }

        return CliProcess.RunUnconfined(full);
    }

    private string NftListTable()
    {
        ProcessResult list = ProcessRunner.Run("nsenter", "--net=" + _namespace.Path, "nft", "list", "table", "inet", "aurorasoc");
        return list.ExitCode == 0 ? list.StandardOutput : "(no table)";
    }
}
