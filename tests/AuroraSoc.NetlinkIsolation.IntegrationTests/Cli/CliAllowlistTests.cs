using System.Runtime.Versioning;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary><c>--allow-peers-from</c> through the CLI: a file or stdin, FILE:LINE errors that change nothing, JSON peers and sets.</summary>
[SupportedOSPlatform("linux")]
public sealed class CliAllowlistTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-cli-allowlist-");

    public void Dispose()
    {
        _root.Delete(recursive: true);
        guard.AssertUnchanged();
    }

    [Fact]
    public void Isolate_AllowlistFile_SetsReportedInJsonAndShowEqualsNft()
    {
        Requirements.RequireNft();
        using var jail = ThrowawayNamespace.Create("cli allowlist: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli allowlist: target");
        string list = Path.Combine(_root.FullName, "peers.txt");
        File.WriteAllText(list, "# header\n" + AllowlistKernelTests.RandomIPv4List(10_000, 9) + AllowlistKernelTests.RandomIPv6List(100, 10, ports: true));

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10:6514", "--allow-peers-from", list, "--netns", target.Path, "--ephemeral", "--json");

        Assert.Equal(0, isolate.ExitCode);
        using var json = JsonDocument.Parse(isolate.StandardOutput);
        JsonElement[] sets = [.. json.RootElement.GetProperty("sets").EnumerateArray()];
        Assert.Equal(["allow_v4", "allow_v6_tcp"], sets.Select(s => s.GetProperty("name").GetString()));
        Assert.Equal(json.RootElement.GetProperty("peers").GetInt32(), sets.Sum(s => s.GetProperty("elements").GetInt32()));
        Assert.Equal(target.ListTable("inet", "aurorasoc"), CliProcess.RunIn(jail, "show", "--netns", target.Path).EnsureSuccess().StandardOutput);
    }

    [Fact]
    public void Isolate_BadLineDeepInTheFile_ExitTwoNamingFileAndLineNothingChanged()
    {
        Requirements.RequireNft();
        using var jail = ThrowawayNamespace.Create("cli allowlist bad line: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli allowlist bad line: target");
        string[] lines = AllowlistKernelTests.RandomIPv4List(100_000, 11).Split('\n');
        lines[73_411] = "10.0.0.1/33";
        string list = Path.Combine(_root.FullName, "bad.txt");
        File.WriteAllText(list, string.Join('\n', lines));
        string before = target.ListRuleset();

        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10:6514", "--allow-peers-from", list, "--netns", target.Path, "--ephemeral");

        Assert.Equal(2, isolate.ExitCode);
        Assert.Contains($"{list}:73412", isolate.StandardError, StringComparison.Ordinal);
        Assert.Contains("'10.0.0.1/33'", isolate.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, target.ListRuleset());
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    public void Isolate_EmptyOrMissingList_ExitTwo(string content)
    {
        using var jail = ThrowawayNamespace.Create("cli allowlist empty");
        string list = Path.Combine(_root.FullName, "empty.txt");
        File.WriteAllText(list, content);

        Assert.Equal(2, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--allow-peers-from", list, "--ephemeral").ExitCode);
        Assert.Equal(2, CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10", "--allow-peers-from", Path.Combine(_root.FullName, "missing.txt"), "--ephemeral").ExitCode);
        Assert.Equal(string.Empty, jail.ListRuleset());
    }

    [Fact]
    public void Isolate_ListOnStdin_Installed()
    {
        Requirements.RequireNft();
        using var jail = ThrowawayNamespace.Create("cli allowlist stdin");

        var isolate = jail.ExecWithInput("10.0.0.5-10.0.0.9:443\n", [.. CliProcess.Launch, "isolate", "--collector", "192.0.2.10", "--allow-peers-from", "-", "--ephemeral"]);

        Assert.Equal(0, isolate.ExitCode);
        Assert.Contains("\t\telements = { 10.0.0.5-10.0.0.9 . 443 }\n", jail.ListTable("inet", "aurorasoc"), StringComparison.Ordinal);
    }
}
