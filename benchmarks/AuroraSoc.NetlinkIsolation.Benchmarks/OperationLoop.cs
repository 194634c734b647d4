using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// Runs one operation in a loop in a throwaway namespace, outside BenchmarkDotNet, so that strace -c or perf can
/// attribute system calls and time to it. Running COUNT = 0 and COUNT = N and subtracting gives the calls per
/// operation (benchmarks/syscalls-per-op.sh).
/// </summary>
internal static class OperationLoop
{
    private const string Usage = "usage: ops raw|reisolate|isolate-unisolate|probe|status COUNT";

    public static int Run(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        IsolationPolicy policy = Policies.ContractExample();
        using ThrowawayNamespace target = ThrowawayNamespace.Create();
        using HostIsolator isolator = Isolators.OpenIn(target);
        isolator.Isolate(policy);

        using var batch = new NfTablesBatch(64 * 1024);
        IsolationRuleset.Build(policy).WriteIsolateBatch(batch, 1);
        byte[] raw = batch.Bytes.ToArray();
        byte[] receive = new byte[128 * 1024];
        NetlinkSocket? socket = null;
        if (NetlinkSocket.TryOpenInNamespace(target.Path, 256 * 1024, out socket) != 0 || socket is null)
        {
            throw new InvalidOperationException("raw socket open failed");
        }

        using NetlinkSocket rawSocket = socket;
        Action operation = args[0] switch
        {
            "raw" => () =>
            {
                _ = rawSocket.Send(raw);
                while (rawSocket.Receive(receive, 0) != -Errno.EAGAIN)
                {
                }
            },
            "reisolate" => () => isolator.Isolate(policy),
            "isolate-unisolate" => () =>
            {
                isolator.Isolate(policy);
                isolator.Unisolate();
            },
            "probe" => () => isolator.IsIsolated(),
            "status" => () => isolator.GetStatus(),
            _ => throw new ArgumentException(Usage),
        };

        // Warm-up outside the count (JIT, tiering); the same for COUNT = 0, so it cancels out in the difference.
        for (int i = 0; i < 2000; i++)
        {
            operation();
        }

        long started = Stopwatch.GetTimestamp();
        for (int i = 0; i < count; i++)
        {
            operation();
        }

        TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]}: {count} operations, {(count == 0 ? 0 : elapsed.TotalMicroseconds / count):F2} µs each"));
        return 0;
    }
}
