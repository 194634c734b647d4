using System.Diagnostics;
using System.Globalization;

namespace AuroraSoc.NetlinkIsolation.Benchmarks;

/// <summary>
/// Runs one benchmark method in a plain loop, outside BenchmarkDotNet, so that strace -c or perf can attribute
/// system calls and time to it. It uses the benchmark classes themselves (same setup, same throwaway namespace,
/// same cleanup). Running COUNT = 0 and COUNT = N and subtracting gives the calls per operation
/// (benchmarks/syscalls-per-op.sh). For floor-vs-reisolate, COUNT is the number of alternating block pairs.
/// </summary>
internal static class OperationLoop
{
    private static readonly string[] Names =
        ["floor", "reisolate", "probe", "probe-floor", "status", "isolate-unisolate", "nft", "encode", "encode-model", "decode", "floor-vs-reisolate"];

    public static int Run(string[] args)
    {
        bool noSentinel = args.Length == 3 && args[2] == "--no-sentinel";
        if (args.Length != (noSentinel ? 3 : 2) || Array.IndexOf(Names, args[0]) < 0 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            Console.Error.WriteLine($"usage: ops {string.Join('|', Names)} COUNT [--no-sentinel]");
            return 2;
        }

        var latency = new IsolationLatencyBenchmarks { HoldHookKeys = !noSentinel };
        var encode = new EncodeBenchmarks();
        var nft = new NftComparisonBenchmarks();
        try
        {
            Action operation;
            switch (args[0])
            {
                case "encode" or "encode-model" or "decode":
                    encode.Setup();
                    operation = args[0] switch
                    {
                        "encode" => () => encode.EncodeIsolateBatch(),
                        "encode-model" => () => encode.EncodeIsolateBatchFromModel(),
                        _ => () => encode.DecodeTable(),
                    };
                    break;
                case "nft":
                    nft.Setup();
                    operation = () => nft.NftFile();
                    break;
                case "floor-vs-reisolate":
                    latency.SetupIsolatedNamespace();
                    return Interleaved(latency, count);
                case "isolate-unisolate":
                    latency.SetupOpenNamespace();
                    operation = latency.IsolateThenUnisolate;
                    break;
                default:
                    latency.SetupIsolatedNamespace();
                    operation = args[0] switch
                    {
                        "floor" => () => latency.RawSocketFloor(),
                        "reisolate" => () => latency.Reisolate(),
                        "probe" => () => latency.Probe(),
                        "probe-floor" => () => latency.ProbeFloor(),
                        _ => () => latency.Status(),
                    };
                    break;
            }

            // Warm-up outside the count (JIT, tiering); the same for COUNT = 0, so it cancels out in the difference.
            int warmup = args[0] == "nft" ? 5 : 2000;
            for (int i = 0; i < warmup; i++)
            {
                operation();
            }

            long allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < count; i++)
            {
                operation();
            }

            TimeSpan elapsed = Stopwatch.GetElapsedTime(started);
            long allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            double perOperation = count == 0 ? 0 : elapsed.TotalMicroseconds / count;
            double bytesPerOperation = count == 0 ? 0 : (double)allocated / count;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{args[0]}: {count} operations, {perOperation:F2} µs and {bytesPerOperation:F1} allocated bytes (this thread) each"));
            return 0;
        }
        finally
        {
            latency.Cleanup();
            encode.Cleanup();
            nft.Cleanup();
        }
    }

    /// <summary>
    /// RawSocketFloor and Reisolate in alternating blocks of 100 in one process and one namespace, so that a change
    /// of load on a shared machine hits both alike; prints the median block of each and their ratio.
    /// </summary>
    private static int Interleaved(IsolationLatencyBenchmarks latency, int blocks)
    {
        const int BlockSize = 100;
        var floor = new List<double>();
        var reisolate = new List<double>();
        for (int block = -5; block < blocks; block++)
        {
            long started = Stopwatch.GetTimestamp();
            for (int i = 0; i < BlockSize; i++)
            {
                latency.RawSocketFloor();
            }

            double floorMicroseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds / BlockSize;
            started = Stopwatch.GetTimestamp();
            for (int i = 0; i < BlockSize; i++)
            {
                latency.Reisolate();
            }

            double reisolateMicroseconds = Stopwatch.GetElapsedTime(started).TotalMicroseconds / BlockSize;
            if (block >= 0)
            {
                floor.Add(floorMicroseconds);
                reisolate.Add(reisolateMicroseconds);
            }
        }

        double Median(List<double> values)
        {
            values.Sort();
            return values.Count == 0 ? 0 : values[values.Count / 2];
        }

        double floorMedian = Median(floor);
        double reisolateMedian = Median(reisolate);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"floor-vs-reisolate: {blocks} alternating blocks of {BlockSize}: RawSocketFloor median {floorMedian:F1} µs, Reisolate median {reisolateMedian:F1} µs, ratio {reisolateMedian / floorMedian:F3}"));
        return 0;
    }
}
