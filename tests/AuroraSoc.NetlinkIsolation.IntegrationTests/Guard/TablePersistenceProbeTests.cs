using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Guard;

/// <summary>The PERSIST probe on this kernel (which has PERSIST), in the conditions of a process that runs others.</summary>
public sealed class TablePersistenceProbeTests
{
    [Fact]
    public void Run_WhileOtherThreadsStartProcesses_AlwaysSupported()
    {
        Requirements.RequireNfTables();

        // A child forked by another thread holds a copy of every descriptor until it execs (close-on-exec closes them
        // only then), the probe's owner socket included: its close is then not the socket's release, and the
        // kernel hands the table over to "no owner" a moment later. The probe must wait for that, not read a
        // still-owned table as "no PERSIST" and send the guard into monitor mode.
        using var stop = new CancellationTokenSource();
        Thread[] spawners = [.. Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var child = Process.Start(new ProcessStartInfo("/bin/true") { UseShellExecute = false });
                child!.WaitForExit();
            }
        }) { IsBackground = true })];
        foreach (Thread spawner in spawners)
        {
            spawner.Start();
        }

        var answers = new List<string>();
        try
        {
            for (int i = 0; i < 200; i++)
            {
                TablePersistence persistence = TablePersistenceProbe.Run(out string evidence);
                if (persistence != TablePersistence.Supported)
                {
                    answers.Add($"{persistence}: {evidence}");
                }
            }
        }
        finally
        {
            stop.Cancel();
            foreach (Thread spawner in spawners)
            {
                spawner.Join();
            }
        }

        Assert.True(answers.Count == 0, $"{answers.Count} of 200 probes did not see PERSIST:\n" + string.Join('\n', answers.Distinct()));
    }
}
