using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// docs/reliability.md, "4. kill -9": a helper process isolates (policy A), unisolates, isolates (policy B), unisolates … as fast as it
/// can and is killed with SIGKILL at a random moment, 200 times. After every kill the namespace must be wholly
/// isolated with A or with B — nft lists exactly the contract text — or wholly not isolated; never partial.
/// </summary>
[Collection(ReliabilitySerialGroup.Name)]
public sealed class KillNineTests
{
    private const int Kills = 200;
    private const int PoolSize = 4;

    [Fact]
    public void Isolate_Sigkilled200TimesAtRandomMoments_NamespaceWhollyIsolatedOrWhollyNot()
    {
        Requirements.RequireNft();
        using var ns = ThrowawayNamespace.Create("reliability: kill -9");
        using HostIsolator observer = HostIsolator.Open(ns.Path);
        uint generationBefore = observer.GetStatus().Generation;
        var random = new Random(0x9);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var wait = new Dictionary<string, string> { ["AURORASOC_HELPER_WAIT"] = "1" };

        // Helpers are started a few ahead (they open their socket, warm up without committing, and wait), so that
        // start-up does not count against the test.
        var pool = new Queue<HelperProcess>();
        for (int i = 0; i < PoolSize; i++)
        {
            pool.Enqueue(HelperProcess.Start(["cycle", ns.Path], environment: wait));
        }

        var waiting = new Stopwatch();
        var checking = new Stopwatch();
        var total = Stopwatch.StartNew();
        try
        {
            for (int kill = 0; kill < Kills; kill++)
            {
                using HelperProcess current = pool.Dequeue();
                waiting.Start();
                Assert.True(current.WaitForLine("READY", TimeSpan.FromSeconds(60)), $"helper {kill} did not start");
                waiting.Stop();
                if (kill + PoolSize < Kills)
                {
                    pool.Enqueue(HelperProcess.Start(["cycle", ns.Path], environment: wait));
                }

                current.WriteLine("GO");
                Thread.Sleep(random.Next(0, 40));
                Thread.SpinWait(random.Next(0, 200_000));
                if (current.HasExited)
                {
                    Assert.Fail("the helper stopped on its own: " + current.WaitForExit(TimeSpan.FromSeconds(5)).StandardOutput);
                }

                current.Kill();

                checking.Start();
                string state = Check(ns, observer, kill);
                checking.Stop();
                seen[state] = seen.GetValueOrDefault(state) + 1;
            }
        }
        finally
        {
            while (pool.TryDequeue(out HelperProcess? left))
            {
                left.Dispose();
            }
        }

        uint commits = observer.GetStatus().Generation - generationBefore;
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{Kills} kills in {total.Elapsed.TotalSeconds:0.0} s (waiting for helpers {waiting.Elapsed.TotalSeconds:0.0} s, checking {checking.Elapsed.TotalSeconds:0.0} s); {commits} transactions committed by the killed helpers; after the kills: {string.Join(", ", seen.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key} {e.Value}"))}"));
        Assert.True(seen.Count >= 2, "the kills never landed in different states; the test did not exercise anything");
    }

    /// <summary>Both oracles agree and the state is whole: nft lists exactly A's table, B's, or nothing at all.</summary>
    private static string Check(ThrowawayNamespace ns, HostIsolator observer, int kill)
    {
        // nft started from a thread inside the namespace (one exec, no `ip netns exec` mount set-up).
        ProcessResult list = ns.RunInside(() => ProcessRunner.Run("nft", "list", "ruleset"));
        string ruleset = list.StandardOutput;
        IsolationStatus status = observer.GetStatus();
        Assert.True(list.Succeeded, list.StandardError);
        if (ruleset.Length == 0)
        {
            Assert.Equal(IsolationState.NotIsolated, status.State);
            return "not isolated";
        }

        string listing = list.StandardOutput;
        string which = listing == Listings.ContractExample ? "isolated A" : listing == Listings.StrictDnsAny ? "isolated B" : "PARTIAL";
        Assert.True(which != "PARTIAL", $"after kill {kill} nft lists neither policy A nor B:\n{listing}");
        Assert.Equal(IsolationState.Isolated, status.State);
        Assert.Equal(listing, NftSyntaxRenderer.Render(status.Table!));
        return which;
    }
}
