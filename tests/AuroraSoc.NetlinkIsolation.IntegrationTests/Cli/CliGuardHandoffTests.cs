using System.Text.Json;
using System.Text.Json.Nodes;
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;
using AuroraSoc.NetlinkIsolation.Intent;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// The real CLI while a guard serves its state directory (guard.md): isolate, status and unisolate are handed to the
/// guard through the library, carry the reason, the resolved names and the verification, and answer as they do
/// without a guard. The guard runs in the test process; every target is a throwaway namespace.
/// </summary>
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class CliGuardHandoffTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-cli-handoff-");

    public void Dispose()
    {
        _root.Delete(recursive: true);
        guard.AssertUnchanged();
    }

    [Fact]
    public void Isolate_GuardServesStateDir_HandedOverWithReasonAndNamesSameJsonAsWithoutGuard()
    {
        using GuardSite site = GuardSite.Create("cli hand-over: guarded target");
        using var jail = ThrowawayNamespace.Create("cli hand-over: where the CLI runs");
        using var unguarded = ThrowawayNamespace.Create("cli hand-over: the same isolate without a guard");
        using NetnsResolverFiles files = NetnsResolverFiles.Write(jail, "2001:db8::10 edr.test\n192.0.2.10 edr.test\n");
        string[] policy = ["isolate", "--collector", "edr.test:6514", "--reason", "INC-9", "--mode", "strict", "--json"];
        var without = CliProcess.RunIn(jail, [.. policy, "--netns", unguarded.Path, "--state-dir", Path.Combine(_root.FullName, "unguarded")]);
        Assert.True(without.ExitCode == 0, without.StandardError);
        IsolationGuard running = site.StartGuard();

        var with = CliProcess.RunIn(jail, [.. policy, "--netns", site.Namespace.Path, "--state-dir", site.StateDirectory]);

        Assert.True(with.ExitCode == 0, with.StandardError);
        Assert.Equal(string.Empty, with.StandardError);
        Assert.Equal(Comparable(without.StandardOutput), Comparable(with.StandardOutput));
        string listing = site.ListTable()!;
        string expectedHead = running.OwnsTables ? "\tflags owner\n\tcomment \"INC-9\"\n" : "table inet aurorasoc {\n\tcomment \"INC-9\"\n";
        Assert.Contains(expectedHead, listing, StringComparison.Ordinal);
        IsolationIntent intent = site.Store.Read(site.Namespace.Path, "aurorasoc")!;
        Assert.Equal("INC-9", intent.Reason);
        Assert.Equal(["192.0.2.10", "2001:db8::10"], intent.ResolvedNames["edr.test"]);

        var status = CliProcess.RunIn(jail, "status", "--netns", site.Namespace.Path, "--state-dir", site.StateDirectory, "--json");
        Assert.Equal(0, status.ExitCode);
        using (var json = JsonDocument.Parse(status.StandardOutput))
        {
            Assert.Equal(("INC-9", running.OwnsTables), (json.RootElement.GetProperty("reason").GetString(), json.RootElement.GetProperty("guarded").GetBoolean()));
        }

        var unisolate = CliProcess.RunIn(jail, "unisolate", "--netns", site.Namespace.Path, "--state-dir", site.StateDirectory);
        Assert.True(unisolate.ExitCode == 0, unisolate.StandardError);
        Assert.StartsWith("unisolated: table inet aurorasoc deleted", unisolate.StandardOutput, StringComparison.Ordinal);
        Assert.Null(site.ListTable());
        Assert.Null(site.Store.Read(site.Namespace.Path, "aurorasoc"));
    }

    [Fact]
    public void Isolate_GuardServesStateDirAndNoCollectorReachable_GuardRollsBackTableAndIntent()
    {
        using GuardSite site = GuardSite.Create("cli hand-over: verification fails");
        using var jail = ThrowawayNamespace.Create("cli hand-over: where the CLI runs");
        site.RecordContractIntent();
        site.StartGuard();
        string before = site.ListTable()!;
        string intentFile = site.Store.PathFor(site.Namespace.Path, "aurorasoc");
        byte[] intent = File.ReadAllBytes(intentFile);

        // The namespace has only loopback: a connection to 192.0.2.10 fails at once (no route).
        var isolate = CliProcess.RunIn(jail, "isolate", "--collector", "192.0.2.10:6514", "--verify-collector", "--reason", "after", "--netns", site.Namespace.Path, "--state-dir", site.StateDirectory, "--json");

        Assert.Equal(1, isolate.ExitCode);
        Assert.StartsWith("aurorasoc-isolate: rolled back: no collector reachable: 192.0.2.10:6514 ", Assert.Single(CliProcess.StandardErrorLines(isolate)), StringComparison.Ordinal);
        using (var json = JsonDocument.Parse(isolate.StandardOutput))
        {
            Assert.True(json.RootElement.GetProperty("rolledBack").GetBoolean());
            Assert.False(Assert.Single(json.RootElement.GetProperty("verified").EnumerateArray().ToList()).GetProperty("ok").GetBoolean());
        }

        Assert.Equal(before, site.ListTable());
        Assert.Equal(intent, File.ReadAllBytes(intentFile));
    }

    /// <summary>The report without what differs between any two runs: timing, batch size (the owner flag), the namespace.</summary>
    private static string Comparable(string report)
    {
        JsonObject json = JsonNode.Parse(report)!.AsObject();
        json.Remove("elapsedMicroseconds");
        json.Remove("batchBytes");
        json.Remove("netns");
        return json.ToJsonString();
    }
}
