using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// A generic-host consumer of the Hosting package: <c>AddIsolationGuard</c>, start the host — the recorded isolation
/// is in force and guarded — stop the host (SIGTERM, as systemd stops it) — the isolation stays.
/// </summary>
public sealed class HostingConsumerTests(PackageFeed feed)
{
    private static readonly TimeSpan StartLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public void HostingConsumer_StartAndStop_GuardsRecordedIntentAndLeavesItInForce()
    {
        Requirements.RequireNfTables();
        var consumer = feed.Consumer("Hosting");
        var dll = consumer.Build();

        AssertGuardsRecordedIntentAndLeavesItInForce(consumer, "jit", "dotnet", dll);
    }

    [Fact]
    public void HostingConsumer_PublishedNativeAot_HasNoWarningsAndGuardsRecordedIntent()
    {
        Requirements.RequireNfTables();
        var consumer = feed.Consumer("Hosting");
        var (executable, warnings) = consumer.PublishNativeAot();

        Assert.Empty(warnings);
        AssertGuardsRecordedIntentAndLeavesItInForce(consumer, "aot", executable);
    }

    [Fact]
    public void HostingConsumer_RelativeStateDirectory_HostRefusesToStart()
    {
        var consumer = feed.Consumer("Hosting");
        var dll = consumer.Build();
        var readyFile = Path.Combine(consumer.Directory, "ready-invalid");

        var run = ProcessRunner.Run("dotnet", [dll, "run", "relative/state", readyFile], timeout: StartLimit);

        Assert.False(run.Succeeded, "the host started with a relative state directory");
        Assert.Contains("IsolationGuardOptions.StateDirectory must be an absolute path", run.StandardOutput + run.StandardError, StringComparison.Ordinal);
        Assert.False(File.Exists(readyFile), "the host reported ready");
    }

    /// <summary>Records the contract example's isolation of a fresh namespace, starts the host (the command
    /// <paramref name="host"/>), checks the isolation is in force and owned, stops the host with SIGTERM as systemd
    /// does, and checks the isolation stayed.</summary>
    private static void AssertGuardsRecordedIntentAndLeavesItInForce(ConsumerProject consumer, string run, params string[] host)
    {
        using var ns = ThrowawayNamespace.Create($"hosting consumer ({run}) guards a recorded isolation");
        var stateDirectory = Path.Combine(consumer.Directory, $"state-{run}");
        var readyFile = Path.Combine(consumer.Directory, $"ready-{run}");
        ProcessRunner.Run(host[0], [.. host[1..], "record", ns.Path, stateDirectory]).EnsureSuccess();
        Assert.Empty(ns.ListRuleset());

        using (var process = ProcessRunner.StartBackground(host[0], [.. host[1..], "run", stateDirectory, readyFile]))
        {
            WaitUntilReady(process, readyFile);

            var guarded = ns.ListTable("inet", "aurorasoc");
            Assert.Equal(ContractListing(), WithoutOwnerLines(guarded));
            Assert.Contains("\tflags owner", guarded, StringComparison.Ordinal);
            Assert.False(ns.NftTry("delete table inet aurorasoc").Succeeded, "another process deleted a guarded table");

            ProcessRunner.Run("kill", "-TERM", process.Id.ToString(CultureInfo.InvariantCulture)).EnsureSuccess();
            var exit = process.WaitForExit(StartLimit) ?? throw new TimeoutException($"the host did not stop on SIGTERM: {process.CommandLine}");
            Assert.True(exit.Succeeded, $"host exit {exit.ExitCode}:\n{exit.StandardOutput}{exit.StandardError}");
            Assert.Contains("stopped", exit.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Equal(ContractListing(), WithoutOwnerLines(ns.ListTable("inet", "aurorasoc")));
    }

    private static void WaitUntilReady(BackgroundProcess host, string readyFile)
    {
        var deadline = DateTime.UtcNow + StartLimit;
        while (!File.Exists(readyFile))
        {
            if (host.HasExited || DateTime.UtcNow > deadline)
            {
                var exit = host.WaitForExit(TimeSpan.FromSeconds(5));
                throw new Xunit.Sdk.XunitException($"the host never became ready: {exit?.StandardOutput}{exit?.StandardError}");
            }

            Thread.Sleep(50);
        }
    }

    private static string ContractListing() => File.ReadAllText(RepositoryPaths.TestVector("contract-example.listing.txt"));

    /// <summary>nft prints an owned table as <c>table inet NAME { # progname P</c> with a <c>flags owner</c> line
    /// (and an orphan as a bare <c>flags</c> line); the rest is the contract.</summary>
    private static string WithoutOwnerLines(string listing)
    {
        var lines = listing.Split('\n').ToList();
        lines[0] = lines[0].Split(" # progname ", 2)[0];
        var flags = lines.FindIndex(l => l.StartsWith("\tflags", StringComparison.Ordinal));
        if (flags >= 0)
        {
            lines.RemoveAt(flags);
            if (flags < lines.Count && lines[flags].Length == 0)
            {
                lines.RemoveAt(flags);
            }
        }

        return string.Join('\n', lines);
    }
}
