
namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// Failures exit 1 with exactly one stderr line naming the cause and the fix, and change nothing: the namespace the
/// CLI runs in holds a marker table that a CLI falling back to "its own namespace" would have replaced or deleted.
/// </summary>
public sealed class CliFailureTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private const string Marker = "table inet aurorasoc {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n";

    /// <summary>A pid above the kernel's largest pid_max (2^22), so no such process can exist.</summary>
    private const string ImpossiblePid = "4194305";

    public static TheoryData<string, string> CommandsAndPathKinds()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "isolate", "unisolate", "status", "show" })
        {
            foreach (var kind in new[] { "missing", "regular-file", "directory", "mount-namespace", "dead-pid" })
            {
                data.Add(command, kind);
            }
        }

        return data;
    }

    public static TheoryData<string> Commands() => new("isolate", "unisolate", "status", "show");

    public void Dispose() => guard.AssertUnchanged();

    [Theory]
    [MemberData(nameof(CommandsAndPathKinds))]
    public void Run_NetnsNotANetworkNamespace_ExitsOneWithNamespaceMessage(string command, string pathKind)
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli bad namespace: where the CLI runs");
        jail.ApplyNftRuleset(Marker);
        var before = jail.ListRuleset();
        var file = Path.GetTempFileName();
        try
        {
            string[] target = pathKind switch
            {
                "missing" => ["--netns", $"/run/netns/aurorasoc-t-missing-{Guid.NewGuid():N}"],
                "regular-file" => ["--netns", file],
                "directory" => ["--netns", Path.GetTempPath()],
                "mount-namespace" => ["--netns", "/proc/self/ns/mnt"],
                "dead-pid" => ["--netns-pid", ImpossiblePid],
                _ => throw new ArgumentOutOfRangeException(nameof(pathKind)),
            };
            var expected = pathKind is "missing" or "dead-pid"
                ? "network namespace not found: check the path"
                : "the path is not a network namespace: pass /run/netns/NAME or /proc/PID/ns/net";

            var result = CliProcess.RunIn(jail, [.. CommandArguments(command), .. target]);

            Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}; stderr: {result.StandardError}");
            var line = Assert.Single(CliProcess.StandardErrorLines(result));
            Assert.StartsWith("aurorasoc-isolate: ", line, StringComparison.Ordinal);
            Assert.Contains(expected, line, StringComparison.Ordinal);
            Assert.Equal(string.Empty, result.StandardOutput);
            Assert.Equal(before, jail.ListRuleset());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [MemberData(nameof(Commands))]
    public void Run_WithoutCapNetAdmin_ExitsOneWithPermissionMessageAndChangesNothing(string command)
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli no CAP_NET_ADMIN: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli no CAP_NET_ADMIN: target");
        jail.ApplyNftRuleset(Marker);
        target.ApplyNftRuleset(Marker);
        var jailBefore = jail.ListRuleset();
        var targetBefore = target.ListRuleset();

        var result = CliProcess.RunWithoutNetAdminIn(jail, [.. CommandArguments(command), "--netns", target.Path]);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}; stderr: {result.StandardError}");
        var line = Assert.Single(CliProcess.StandardErrorLines(result));
        Assert.Contains("permission denied: run as root or grant CAP_NET_ADMIN", line, StringComparison.Ordinal);
        Assert.Contains("EPERM", line, StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Equal(targetBefore, target.ListRuleset());
        Assert.Equal(jailBefore, jail.ListRuleset());
    }

    private static string[] CommandArguments(string command) =>
        command == "isolate" ? ["isolate", "--collector", "192.0.2.10"] : [command];
}
