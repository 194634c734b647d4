using System.Diagnostics;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// <c>persist-probe COUNT</c>: wall time of <see cref="TablePersistenceProbe.Run"/> (scratch namespace, two sockets, one
/// commit, two reads), which the guard pays once at start (docs/adr/0002-table-persistence-probe.md).
/// </summary>
internal static class PersistenceProbeCost
{
    public static int Run(string[] args)
    {
        int count = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        TablePersistenceProbe.Run(out _); // warm-up: JIT and first namespace creation
        var times = new List<double>(count);
        TablePersistence result = TablePersistence.Unknown;
        for (int i = 0; i < count; i++)
        {
            long started = Stopwatch.GetTimestamp();
            result = TablePersistenceProbe.Run(out _);
            times.Add(Stopwatch.GetElapsedTime(started).TotalMicroseconds);
        }

        times.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"persist probe ({result}) over {count} runs (µs): min {times[0]:F0}, median {times[count / 2]:F0}, max {times[^1]:F0}, mean {times.Average():F0}"));
        return 0;
    }
}
