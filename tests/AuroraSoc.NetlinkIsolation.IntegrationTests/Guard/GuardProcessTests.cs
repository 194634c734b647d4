using System.Globalization;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>The guard as a process of its own: killed with SIGKILL, and under load from four other processes.</summary>
[Collection(ReliabilitySerialGroup.Name)]
public sealed class GuardProcessTests
{
    [Fact]
    public void KillNine_OwningGuard_TableStaysAndTheNextGuardAdoptsIt()
    {
        using GuardSite site = GuardSite.Create("guard process: kill -9");
        site.RecordContractIntent();
        using (HelperProcess first = StartGuard(site))
        {
            Assert.Equal(GuardSite.OwnedListing("dotnet"), site.ListTable());
            first.Kill();
        }

        string orphan = GuardSite.ContractListing.Replace("table inet aurorasoc {\n", "table inet aurorasoc {\n\tflags \n\n", StringComparison.Ordinal);
        Assert.Equal(orphan, site.ListTable());

        using HelperProcess second = StartGuard(site);
        Assert.Equal(GuardSite.OwnedListing("dotnet"), site.ListTable());
        ProcessResult delete = site.Namespace.NftTry("delete table inet aurorasoc");
        Assert.False(delete.Succeeded);
        Assert.Contains("Operation not permitted", delete.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void SigTerm_OwningGuard_ExitsZeroAndTableStays()
    {
        using GuardSite site = GuardSite.Create("guard process: SIGTERM");
        site.RecordContractIntent();
        using HelperProcess guard = StartGuard(site);

        ProcessRunner.Run("kill", "-TERM", guard.Id.ToString(CultureInfo.InvariantCulture)).EnsureSuccess();
        ProcessResult exit = guard.WaitForExit(TimeSpan.FromSeconds(30));

        Assert.Equal(0, exit.ExitCode);
        Assert.Contains("STOPPED", exit.StandardOutput, StringComparison.Ordinal);
        Assert.NotNull(site.ListTable());
        Assert.Null(GuardClient.TryConnect(site.StateDirectory));
    }

    [Fact]
    public void Load_TenThousandHandedOverOperationsFromFourProcesses_NoFailureAndNoDescriptorOrThreadLeak()
    {
        const int processes = 4;
        const int cyclesEach = 10_000 / processes / 2; // an isolate and an unisolate per cycle
        using GuardSite site = GuardSite.Create("guard process: load");
        var targets = new List<ThrowawayNamespace>();
        try
        {
            for (int i = 0; i < processes; i++)
            {
                targets.Add(ThrowawayNamespace.Create($"guard process: load target {i}"));
            }

            // No periodic pass during the test: it would close the watchers of idle namespaces between the two counts.
            using HelperProcess guard = StartGuard(site, "verify=3600");
            WarmUp(site, targets);
            (int descriptors, int threads) before = Counts(guard.Id);

            var clients = targets.Select(t => HelperProcess.Start(["handoff", site.StateDirectory, t.Path, cyclesEach.ToString(CultureInfo.InvariantCulture)])).ToList();
            var results = new List<ProcessResult>();
            foreach (HelperProcess client in clients)
            {
                using (client)
                {
                    results.Add(client.WaitForExit(TimeSpan.FromMinutes(8)));
                }
            }

            WarmUp(site, targets);
            (int descriptors, int threads) after = Counts(guard.Id);

            foreach (ProcessResult result in results)
            {
                Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
                Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"DONE {2 * cyclesEach} 0"), result.StandardOutput, StringComparison.Ordinal);
            }

            // A leak grows the counts; the runtime may retire an idle worker thread of its own meanwhile.
            Assert.True(after.descriptors <= before.descriptors && after.threads <= before.threads, $"descriptors {before.descriptors} -> {after.descriptors}, threads {before.threads} -> {after.threads}");
            foreach (ThrowawayNamespace target in targets)
            {
                Assert.Equal(string.Empty, target.ListRuleset());
            }

            Assert.Empty(site.Store.ReadAll());
        }
        finally
        {
            foreach (ThrowawayNamespace target in targets)
            {
                target.Dispose();
            }
        }
    }

    private static HelperProcess StartGuard(GuardSite site, params string[] options)
    {
        HelperProcess guard = HelperProcess.Start(["guard", site.StateDirectory, .. options]);
        if (!guard.WaitForLine("READY", TimeSpan.FromSeconds(60)))
        {
            string output = guard.WaitForExit(TimeSpan.FromSeconds(10)).StandardOutput;
            guard.Dispose();
            Assert.Fail("the guard did not start: " + output);
        }

        return guard;
    }

    /// <summary>
    /// One isolate/unisolate per target, handed over, then a settled moment: the guard's watcher of each namespace
    /// exists before the first count and after the last, so the counts compare like with like.
    /// </summary>
    private static void WarmUp(GuardSite site, List<ThrowawayNamespace> targets)
    {
        foreach (ThrowawayNamespace target in targets)
        {
            ProcessResult result = HelperProcess.Run(["handoff", site.StateDirectory, target.Path, "1"]);
            Assert.True(result.ExitCode == 0, result.StandardOutput);
        }

        Thread.Sleep(500);
    }

    /// <summary>
    /// The guard's open descriptors, less those of loaded assemblies (the helper is JIT-compiled: when tiered compilation
    /// recompiles a hot path it may load a framework assembly such as System.IO.Pipelines, which System.Text.Json
    /// references, long after the warm-up; the runtime keeps its file open, once, which is no leak), and its threads.
    /// </summary>
    private static (int Descriptors, int Threads) Counts(int pid)
        => (Directory.GetFileSystemEntries($"/proc/{pid}/fd").Count(fd => new FileInfo(fd).LinkTarget?.EndsWith(".dll", StringComparison.Ordinal) != true),
            Directory.GetDirectories($"/proc/{pid}/task").Length);
}
