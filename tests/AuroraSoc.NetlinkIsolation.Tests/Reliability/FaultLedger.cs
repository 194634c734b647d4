using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Tests.Reliability;

[assembly: AssemblyFixture(typeof(FaultLedgerReport))]

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>
/// Counts every fault the fake transport actually injected, by kind, over the whole test run (docs/reliability.md
/// quotes these figures). A fault is counted when it takes effect, not when it is scheduled.
/// </summary>
internal static class FaultLedger
{
    private static readonly ConcurrentDictionary<string, long> Counts = new(StringComparer.Ordinal);
    private static long fuzzInputs;

    public static void Record(string kind, long count = 1) => Counts.AddOrUpdate(kind, count, (_, old) => old + count);

    public static void RecordFuzzInputs(long count) => Interlocked.Add(ref fuzzInputs, count);

    public static long Total => Counts.Values.Sum();

    public static string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"faults injected: {Total}\n");
        foreach (KeyValuePair<string, long> entry in Counts.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"  {entry.Key}: {entry.Value}\n");
        }

        text.Append(CultureInfo.InvariantCulture, $"decoder fuzz inputs: {Interlocked.Read(ref fuzzInputs)}\n");
        return text.ToString();
    }
}

/// <summary>Writes the ledger to <c>reliability-faults.txt</c> next to the test binaries when the run ends.</summary>
public sealed class FaultLedgerReport : IDisposable
{
    public void Dispose()
    {
        try
        {
            File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "reliability-faults.txt"), FaultLedger.Summary());
        }
        catch (IOException)
        {
            // A read-only output folder must not fail the run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
