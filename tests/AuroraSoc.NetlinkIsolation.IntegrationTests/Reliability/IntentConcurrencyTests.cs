using System.Globalization;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// Four processes isolate and unisolate one namespace through one state directory at the same time, while this
/// process takes the state directory's lock again and again and compares intent and kernel. Every change holds the
/// lock from recording to commit, so whenever the lock is free the two agree — without it, the checker catches an
/// intent recorded but not yet committed, or one process's intent next to another's table — and they agree at the end.
/// </summary>
[Collection(ReliabilitySerialGroup.Name)]
public sealed class IntentConcurrencyTests
{
    private const int Processes = 4;
    private const int OperationsPerProcess = 100;

    [Fact]
    public void IsolateUnisolate_4ProcessesOneStateDirectory_IntentAndKernelAgree()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("intent: concurrency");
        DirectoryInfo root = Directory.CreateTempSubdirectory("aurorasoc-intent-concurrency-");
        string stateDirectory = Path.Combine(root.FullName, "state");
        var helpers = new List<HelperProcess>();
        try
        {
            for (int p = 0; p < Processes; p++)
            {
                HelperProcess helper = HelperProcess.Start(["intent", ns.Path, stateDirectory, (20 + p).ToString(CultureInfo.InvariantCulture), OperationsPerProcess.ToString(CultureInfo.InvariantCulture), (7 + p).ToString(CultureInfo.InvariantCulture)]);
                helpers.Add(helper);
                Assert.True(helper.WaitForLine("READY", TimeSpan.FromSeconds(60)), $"helper {p} did not start");
            }

            var store = new IntentStore(stateDirectory);
            helpers.ForEach(h => h.WriteLine("go"));
            var disagreements = new List<string>();
            int checks = 0;
            DateTime deadline = DateTime.UtcNow.AddMinutes(5);
            while (!helpers.TrueForAll(h => h.HasExited) && DateTime.UtcNow < deadline)
            {
                using (store.AcquireLock())
                {
                    if (Disagreement(store, ns) is { } found)
                    {
                        disagreements.Add(found);
                    }
                }

                checks++;
            }

            foreach (HelperProcess helper in helpers)
            {
                ProcessResult result = helper.WaitForExit(TimeSpan.FromMinutes(5));
                Assert.True(result.ExitCode == 0, result.StandardOutput + result.StandardError);
            }

            Assert.True(checks > 0);
            Assert.Empty(disagreements);
            Assert.Null(Disagreement(store, ns));

            Assert.All(store.ReadAll(), entry => Assert.Null(entry.Error));
            Assert.Empty(Directory.GetFiles(stateDirectory, ".*"));
        }
        finally
        {
            helpers.ForEach(h => h.Dispose());
            root.Delete(recursive: true);
        }
    }

    /// <summary>How intent and kernel differ, or null when the table is exactly the recorded intent's (or both are absent).</summary>
    private static string? Disagreement(IntentStore store, ThrowawayNamespace ns)
    {
        IsolationIntent? intent = store.Read(ns.Path, IsolationPolicy.DefaultTableName);
        string listing = ns.ListRuleset();
        if (intent is null)
        {
            return listing.Length == 0 ? null : "no intent, but a table:\n" + listing;
        }

        string collector = intent.Policy.Collectors[0].Address.ToString();
        return listing.Contains($"ip saddr {collector} accept", StringComparison.Ordinal)
            ? null
            : $"intent for collector {collector}, but the kernel holds:\n{(listing.Length == 0 ? "(nothing)" : listing)}";
    }
}
