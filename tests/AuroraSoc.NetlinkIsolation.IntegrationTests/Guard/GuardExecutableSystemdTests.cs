using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>
/// The guard's executable as systemd runs it: <c>$NOTIFY_SOCKET</c> (a datagram socket this test binds) gets READY=1
/// with STATUS=, SIGHUP re-reads the state directory framed by RELOADING=1 and READY=1, SIGTERM sends STOPPING=1 and
/// exits 0; with <c>$JOURNAL_STREAM</c> set every stderr line carries a <c>&lt;N&gt;</c> priority and no timestamp.
/// Every target is a throwaway namespace; the state directory is temporary.
/// </summary>
public sealed class GuardExecutableSystemdTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    [Fact]
    public Task Sighup_GuardUnderSystemd_ReReadsStateDirectoryNotifiesAndKeepsRunning()
        => ReloadThenStop([]);

    /// <summary>
    /// Started by something that ignores SIGHUP and SIGTERM (nohup, a supervisor, a CI runner): ignored signals survive
    /// exec, and .NET would keep them ignored. The guard takes them back, so reload and stop still work.
    /// </summary>
    [Fact]
    public Task Sighup_GuardStartedWithHupAndTermIgnored_StillReloadsAndStops()
        => ReloadThenStop(["/bin/sh", "-c", "trap '' HUP TERM; exec \"$0\" \"$@\""]);

    private static async Task ReloadThenStop(string[] startedThrough)
    {
        using GuardSite site = GuardSite.Create("guard executable: reload");
        using var second = ThrowawayNamespace.Create("guard executable: recorded while the guard runs");
        site.RecordContractIntent();
        string socketPath = Path.Combine(Path.GetDirectoryName(site.StateDirectory)!, "notify.sock");
        using var notify = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        notify.Bind(new UnixDomainSocketEndPoint(socketPath));
        notify.ReceiveTimeout = (int)Patience.TotalMilliseconds;

        string[] launcher = CliExecutables.Launcher(CliExecutables.GuardName, "Release");
        string[] command = [.. startedThrough, .. launcher, "guard", "--state-dir", site.StateDirectory, "--verify-interval", "3600"];
        var start = ProcessRunner.CreateStartInfo(command[0], command[1..]);
        start.Environment["NOTIFY_SOCKET"] = socketPath;
        start.Environment["JOURNAL_STREAM"] = "8:4242";
        using var guard = Process.Start(start)!;
        Task<string> stderr = guard.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        try
        {
            Assert.Equal("READY=1\nSTATUS=guarding 1 isolation; degraded: none", Receive(notify, guard, stderr));

            // Recorded behind the guard's back (no hand-over) and not picked up before the verify interval: only the
            // reload brings it in.
            site.RecordContractIntent(second);
            Assert.DoesNotContain("aurorasoc", second.ListRuleset(), StringComparison.Ordinal);
            ProcessRunner.Run("kill", "-HUP", guard.Id.ToString(CultureInfo.InvariantCulture)).EnsureSuccess();

            Assert.StartsWith("RELOADING=1\nMONOTONIC_USEC=", Receive(notify, guard, stderr), StringComparison.Ordinal);
            Assert.Equal("READY=1\nSTATUS=guarding 2 isolations; degraded: none", Receive(notify, guard, stderr));
            Assert.Contains("table inet aurorasoc", second.ListRuleset(), StringComparison.Ordinal);
            Assert.False(guard.HasExited);

            ProcessRunner.Run("kill", "-TERM", guard.Id.ToString(CultureInfo.InvariantCulture)).EnsureSuccess();
            Assert.Equal("STOPPING=1", Receive(notify, guard, stderr));
            Assert.True(guard.WaitForExit(Patience), "the guard did not exit after SIGTERM");
            Assert.Equal(0, guard.ExitCode);
        }
        finally
        {
            if (!guard.HasExited)
            {
                guard.Kill();
                guard.WaitForExit();
            }
        }

        string[] lines = (await stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.NotEmpty(lines);
        Assert.All(lines, line => Assert.Matches(@"^<[2-7]>aurorasoc-isolate\[\d+\] ", line));
        Assert.Contains(lines, line => line.StartsWith("<6>aurorasoc-isolate[150] reloaded ", StringComparison.Ordinal));
        Assert.Contains(lines, line => line.StartsWith("<6>aurorasoc-isolate[100] ", StringComparison.Ordinal));
    }

    /// <summary>The next notification; when none comes in time, fails with where each guard thread waits and its stderr.</summary>
    private static string Receive(Socket socket, Process guard, Task<string> stderr)
    {
        byte[] buffer = new byte[4096];
        try
        {
            int length = socket.Receive(buffer);
            return Encoding.UTF8.GetString(buffer, 0, length);
        }
        catch (SocketException exception) when (exception.SocketErrorCode == SocketError.TimedOut)
        {
            string threads = guard.HasExited ? $"the guard exited with {guard.ExitCode}" : ProcessThreads.Describe(guard.Id) + ProcessThreads.NativeStacks(guard.Id);
            if (!guard.HasExited)
            {
                guard.Kill();
            }

            string log = stderr.Wait(TimeSpan.FromSeconds(10)) ? stderr.Result : "(stderr not closed)";
            throw new Xunit.Sdk.XunitException($"no notification from the guard within {Patience.TotalSeconds} s\n{threads}\nits stderr:\n{log}");
        }
    }
}
