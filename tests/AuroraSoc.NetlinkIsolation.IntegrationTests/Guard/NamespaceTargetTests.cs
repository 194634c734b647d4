using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// Never the wrong namespace, never for the wrong caller (docs/guard.md, "Targets"): a command without <c>--netns</c>
/// is recorded as the namespace it runs in — <c>host</c> only for PID 1's — and a guard acts on that namespace, never on
/// its own; a caller without CAP_NET_ADMIN is refused before anything is committed, whether it asks the guard or not.
/// The guard runs as a process of its own inside a throwaway namespace G, as it would run in the host's.
/// </summary>
[Collection(ReliabilitySerialGroup.Name)]
public sealed class NamespaceTargetTests : IDisposable
{
    /// <summary>A wave-two intent file (format version 1) exactly as the release before identity targets wrote it.</summary>
    private const string WaveTwoIntent = """
        {
          "version": 1,
          "target": "TARGET",
          "table": "aurorasoc",
          "policy": {
            "collectors": [
              "192.0.2.10",
              "[2001:db8::10]:443"
            ],
            "allowedPeers": [
              "198.51.100.0/24"
            ],
            "dns": "any",
            "dnsServers": [],
            "allowDhcp": true,
            "mode": "keep",
            "blockForwarding": true,
            "rejectTcp": true,
            "table": "aurorasoc"
          },
          "resolvedNames": {},
          "reason": "INC-4711 soc@example.com",
          "isolatedAt": "2026-12-07T16:46:27.0954361Z",
          "isolatedBy": {
            "uid": 0,
            "userName": "root",
            "pid": 9442
          },
          "namespace": null
        }
        """;

    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("aurorasoc-targets-");

    private string StateDirectory => Path.Combine(_root.FullName, "state");

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Isolate_UnderIpNetnsExecWithAGuardInAnotherNamespace_IsolatesTheCallersNamespaceOnly()
    {
        using var g = ThrowawayNamespace.Create("targets: where the guard runs");
        using var x = ThrowawayNamespace.Create("targets: where the CLI runs");
        using RunningGuard guard = StartGuardIn(g);

        ProcessResult isolate = CliProcess.RunIn(x, "isolate", "--collector", "192.0.2.10", "--state-dir", StateDirectory);

        Assert.True(isolate.ExitCode == 0, isolate.StandardError);
        Assert.True(x.NftTry("list table inet aurorasoc").Succeeded, "the caller's namespace is not isolated");
        Assert.False(g.NftTry("list table inet aurorasoc").Succeeded, "the guard's namespace was isolated");
        var store = new IntentStore(StateDirectory);
        Assert.NotNull(store.Read(x.Path, "aurorasoc"));
        Assert.Null(store.Read(IsolationIntent.HostTarget, "aurorasoc"));

        ProcessResult unisolate = CliProcess.RunIn(x, "unisolate", "--state-dir", StateDirectory);
        Assert.True(unisolate.ExitCode == 0, unisolate.StandardError);
        Assert.False(x.NftTry("list table inet aurorasoc").Succeeded);
        Assert.Null(store.Read(x.Path, "aurorasoc"));
    }

    [Fact]
    public void Isolate_FromAnUnnamedNamespaceWithAGuard_IsolatesThatNamespaceRecordedByIdentity()
    {
        using var g = ThrowawayNamespace.Create("targets: where the guard runs");
        using RunningGuard guard = StartGuardIn(g);
        string cli = string.Join(' ', CliProcess.Launch.Select(Quote));

        // The table is listed from inside the unnamed namespace before it goes away with its last process.
        ProcessResult run = ProcessRunner.Run("unshare", "-n", "sh", "-c",
            $"{cli} isolate --collector 192.0.2.10 --state-dir {Quote(StateDirectory)} && nft list table inet aurorasoc >/dev/null && readlink /proc/self/ns/net");

        Assert.True(run.ExitCode == 0, run.StandardError);
        string identity = run.StandardOutput.Trim().Split('\n')[^1];
        Assert.StartsWith("net:[", identity, StringComparison.Ordinal);
        Assert.False(g.NftTry("list table inet aurorasoc").Succeeded, "the guard's namespace was isolated");
        IsolationIntent recorded = Assert.Single(new IntentStore(StateDirectory).ReadAll()).Intent!;
        Assert.Equal(identity, recorded.Target);
    }

    [Fact]
    public void Isolate_RootWithoutNetAdminWithAGuard_ExitOneNamingItAndNothingCommittedOrRecorded()
    {
        using var g = ThrowawayNamespace.Create("targets: where the guard runs");
        using var x = ThrowawayNamespace.Create("targets: where the CLI runs without CAP_NET_ADMIN");
        using RunningGuard guard = StartGuardIn(g);

        ProcessResult isolate = CliProcess.RunWithoutNetAdminIn(x, "isolate", "--collector", "192.0.2.10", "--state-dir", StateDirectory);

        Assert.Equal(1, isolate.ExitCode);
        string line = Assert.Single(CliProcess.StandardErrorLines(isolate));
        Assert.Contains("CAP_NET_ADMIN", line, StringComparison.Ordinal);
        Assert.False(x.NftTry("list table inet aurorasoc").Succeeded);
        Assert.False(g.NftTry("list table inet aurorasoc").Succeeded);
        Assert.Empty(new IntentStore(StateDirectory).ReadAll());
    }

    [Fact]
    public void HandOver_CallerWithoutNetAdminTalkingToTheGuardDirectly_RefusedNamingCapNetAdminAndNothingCommitted()
    {
        // The library's hand-over client, without the CLI's own permission probe first: the guard itself must refuse.
        using var g = ThrowawayNamespace.Create("targets: where the guard runs");
        using var x = ThrowawayNamespace.Create("targets: the handed-over target");
        using RunningGuard guard = StartGuardIn(g);

        ProcessResult handOver = HelperProcess.Run(["handoff", StateDirectory, x.Path, "1"], wrapper: ["setpriv", "--inh-caps=-all", "--bounding-set=-net_admin"]);

        Assert.NotEqual(0, handOver.ExitCode);
        Assert.Contains("CAP_NET_ADMIN", handOver.StandardOutput, StringComparison.Ordinal);
        Assert.False(x.NftTry("list table inet aurorasoc").Succeeded);
        Assert.Empty(new IntentStore(StateDirectory).ReadAll());
    }

    [Fact]
    public void TargetOf_NoPathFromAThreadInAnotherNamespace_IsThatNamespaceNeverHost()
    {
        using var x = ThrowawayNamespace.Create("targets: a thread's namespace");

        Assert.Equal(0, NetworkNamespaceThread.TryRun(x.Path, () => IsolationIntent.TargetOf(null), out string? target));

        Assert.Equal(x.Path, target);
    }

    [Fact]
    public void Restore_HostIntentFromAnotherNamespace_SkippedSayingSoAndNothingApplied()
    {
        using var x = ThrowawayNamespace.Create("targets: where restore runs");
        var store = new IntentStore(StateDirectory);
        var host = new IsolationIntent(IsolationIntent.HostTarget, "aurorasoc", ContractPolicies.Example(), new Dictionary<string, IReadOnlyList<string>>(), null, DateTimeOffset.UtcNow, IsolationActor.Current);
        using (store.AcquireLock())
        {
            store.Record(host);
        }

        ProcessResult restore = CliProcess.RunIn(x, "restore", "--state-dir", StateDirectory, "--json");
        ProcessResult said = CliProcess.RunIn(x, "restore", "--state-dir", StateDirectory);

        Assert.True(restore.ExitCode == 0, restore.StandardError);
        using var json = JsonDocument.Parse(restore.StandardOutput);
        JsonElement target = Assert.Single(json.RootElement.GetProperty("targets").EnumerateArray().ToList());
        Assert.Equal(("host", "skipped-namespace-gone"), (target.GetProperty("target").GetString(), target.GetProperty("outcome").GetString()));
        Assert.Contains("PID 1", said.StandardOutput, StringComparison.Ordinal);
        Assert.False(x.NftTry("list table inet aurorasoc").Succeeded, "a host intent was applied in another namespace");
        Assert.NotNull(store.Read(IsolationIntent.HostTarget, "aurorasoc"));
    }

    [Fact]
    public void Restore_WaveTwoIntentFile_ReadAndRestored()
    {
        using var x = ThrowawayNamespace.Create("targets: a wave-two intent's namespace");
        var store = new IntentStore(StateDirectory);
        Directory.CreateDirectory(StateDirectory);
        File.WriteAllText(store.PathFor(x.Path, "aurorasoc"), WaveTwoIntent.Replace("TARGET", x.Path, StringComparison.Ordinal));

        ProcessResult restore = CliProcess.RunUnconfined("restore", "--state-dir", StateDirectory);

        Assert.True(restore.ExitCode == 0, restore.StandardOutput + restore.StandardError);
        string listing = x.Nft("list table inet aurorasoc");
        Assert.Contains("comment \"INC-4711 soc@example.com\"", listing, StringComparison.Ordinal);
        Assert.Contains("ip6 daddr 2001:db8::10 tcp dport 443 accept", listing, StringComparison.Ordinal);
        Assert.Equal("INC-4711 soc@example.com", store.Read(x.Path, "aurorasoc")!.Reason);
    }

    /// <summary>
    /// The real guard executable (what an operator runs), started with <c>ip netns exec</c> inside <paramref name="where"/>;
    /// ready once it answers on the state directory's hand-over socket.
    /// </summary>
    private RunningGuard StartGuardIn(ThrowawayNamespace where) => RunningGuard.Start(where, StateDirectory);

    private sealed class RunningGuard : IDisposable
    {
        private readonly Process _process;

        private RunningGuard(Process process) => _process = process;

        public static RunningGuard Start(ThrowawayNamespace where, string stateDirectory)
        {
            string configuration = typeof(RunningGuard).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
            _ = CliProcess.Launch; // builds the CLI core's executables when no override names one
            string[] guard = CliExecutables.Launcher(CliExecutables.GuardName, configuration);
            ProcessStartInfo info = ProcessRunner.CreateStartInfo("ip", ["netns", "exec", where.Name, .. guard, "guard", "--state-dir", stateDirectory]);
            var process = new Process { StartInfo = info };
            process.OutputDataReceived += static (_, _) => { };
            process.ErrorDataReceived += static (_, _) => { };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            var running = new RunningGuard(process);
            var waited = Stopwatch.StartNew();
            GuardClient? answered;
            while ((answered = GuardClient.TryConnect(stateDirectory)) is null)
            {
                if (process.HasExited || waited.Elapsed > TimeSpan.FromSeconds(60))
                {
                    running.Dispose();
                    Assert.Fail("the guard did not start serving " + stateDirectory);
                }

                Thread.Sleep(50);
            }

            answered.Dispose();
            return running;
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                ProcessRunner.Run("kill", "-TERM", _process.Id.ToString(CultureInfo.InvariantCulture));
                if (!_process.WaitForExit(TimeSpan.FromSeconds(30)))
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit();
                }
            }

            _process.Dispose();
        }
    }

    private static string Quote(string word) => "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
