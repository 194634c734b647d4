using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary><c>--json</c>: one JSON object on stdout with the keys of cli.md, in success and failure alike.</summary>
public sealed class CliJsonTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private static readonly string[] CommonKeys = ["command", "ok", "state", "table", "netns", "error"];

    public void Dispose() => guard.AssertUnchanged();

    [Fact]
    public void Json_IsolateStatusUnisolate_ReportsContractKeys()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli json: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli json: target");

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--collector", "2001:db8::10", "--netns", target.Path, "--json");
        Assert.Equal(0, isolate.ExitCode);
        using (var json = ParseSingleObject(isolate.StandardOutput))
        {
            var root = json.RootElement;
            AssertCommon(root, "isolate", ok: true, "isolated", target.Path);
            Assert.Equal(15, root.GetProperty("rules").GetInt32());
            Assert.Equal(JsonValueKind.Number, root.GetProperty("elapsedMicroseconds").ValueKind);
            Assert.True(root.GetProperty("elapsedMicroseconds").GetInt64() >= 0);
            Assert.Equal(3, root.GetProperty("chains").GetInt32());
        }

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--json");
        Assert.Equal(0, status.ExitCode);
        using (var json = ParseSingleObject(status.StandardOutput))
        {
            AssertCommon(json.RootElement, "status", ok: true, "isolated", target.Path);
            Assert.Equal(0, json.RootElement.GetProperty("problems").GetArrayLength());
        }

        var unisolate = CliProcess.RunIn(jail, "unisolate", "--netns", target.Path, "--json");
        Assert.Equal(0, unisolate.ExitCode);
        using (var json = ParseSingleObject(unisolate.StandardOutput))
        {
            AssertCommon(json.RootElement, "unisolate", ok: true, "not-isolated", target.Path);
            Assert.True(json.RootElement.GetProperty("changed").GetBoolean());
        }

        var after = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--json");
        Assert.Equal(3, after.ExitCode);
        using (var json = ParseSingleObject(after.StandardOutput))
        {
            AssertCommon(json.RootElement, "status", ok: true, "not-isolated", target.Path);
        }
    }

    [Fact]
    public void Json_StatusDegraded_ExitsFourAndListsProblems()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli json degraded: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli json degraded: target");
        Assert.Equal(0, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path).ExitCode);
        target.Nft("delete chain inet aurorasoc input");

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--json");

        Assert.Equal(4, status.ExitCode);
        using var json = ParseSingleObject(status.StandardOutput);
        AssertCommon(json.RootElement, "status", ok: true, "degraded", target.Path);
        Assert.Equal("chain input is missing", Assert.Single(json.RootElement.GetProperty("problems").EnumerateArray()).GetString());
    }

    [Fact]
    public void Json_NetnsPid_ReportsTheProcNamespacePath()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli json netns-pid: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli json netns-pid: the sleeper's namespace");
        using var sleeper = ProcessRunner.StartBackground("ip", "netns", "exec", target.Name, "sleep", "60");
        CliLifecycleTests.WaitUntilInside(sleeper.Id, target);
        var pid = sleeper.Id.ToString(System.Globalization.CultureInfo.InvariantCulture);

        var status = CliProcess.RunIn(jail, "status", "--netns-pid", pid, "--json");

        Assert.Equal(3, status.ExitCode);
        using var json = ParseSingleObject(status.StandardOutput);
        AssertCommon(json.RootElement, "status", ok: true, "not-isolated", $"/proc/{pid}/ns/net");
    }

    [Fact]
    public void Json_NamespaceMissing_ExitsOneWithKindAndErrno()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli json missing namespace: where the CLI runs");
        var missing = $"/run/netns/aurorasoc-t-missing-{Guid.NewGuid():N}";

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", missing, "--json");

        Assert.Equal(1, isolate.ExitCode);
        using var json = ParseSingleObject(isolate.StandardOutput);
        var root = json.RootElement;
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal(missing, root.GetProperty("netns").GetString());
        var error = root.GetProperty("error");
        Assert.Equal("namespace-not-found", error.GetProperty("kind").GetString());
        Assert.Equal(2, error.GetProperty("errno").GetInt32());
        Assert.Contains("network namespace not found", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Single(CliProcess.StandardErrorLines(isolate));
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Json_WithoutCapNetAdmin_ExitsOneWithPermissionDenied()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli json no CAP_NET_ADMIN: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli json no CAP_NET_ADMIN: target");

        var isolate = CliProcess.RunWithoutNetAdminIn(jail, "isolate", "--collector", "192.0.2.10", "--netns", target.Path, "--json");

        Assert.Equal(1, isolate.ExitCode);
        using var json = ParseSingleObject(isolate.StandardOutput);
        var error = json.RootElement.GetProperty("error");
        Assert.Equal("permission-denied", error.GetProperty("kind").GetString());
        Assert.Equal(1, error.GetProperty("errno").GetInt32());
        Assert.Equal(string.Empty, target.ListRuleset());
    }

    [Fact]
    public void Json_Verbose_StdoutStaysOneObjectAndLogsGoToStderr()
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli json verbose: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli json verbose: target");

        var status = CliProcess.RunIn(jail, "status", "--netns", target.Path, "--json", "-v");

        Assert.Equal(3, status.ExitCode);
        using var json = ParseSingleObject(status.StandardOutput);
        AssertCommon(json.RootElement, "status", ok: true, "not-isolated", target.Path);
        Assert.Contains("dbug:", status.StandardError, StringComparison.Ordinal);
    }

    private static JsonDocument ParseSingleObject(string stdout)
    {
        var line = Assert.Single(stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        var document = JsonDocument.Parse(line);
        Assert.Equal(JsonValueKind.Object, document.RootElement.ValueKind);
        return document;
    }

    private static void AssertCommon(JsonElement root, string command, bool ok, string state, string netns)
    {
        foreach (var key in CommonKeys)
        {
            Assert.True(root.TryGetProperty(key, out _), $"key '{key}' missing in {root}");
        }

        Assert.Equal(command, root.GetProperty("command").GetString());
        Assert.Equal(ok, root.GetProperty("ok").GetBoolean());
        Assert.Equal(state, root.GetProperty("state").GetString());
        Assert.Equal("aurorasoc", root.GetProperty("table").GetString());
        Assert.Equal(netns, root.GetProperty("netns").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("error").ValueKind);
    }
}
