using System.Globalization;
using AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Columns;

/// <summary>
/// Columns for <see cref="ScaleBenchmarks"/>: rules and batch bytes of the isolate transaction for the case's
/// <c>Peers</c> (encoded here with the library's own encoder, the same bytes IsolationResult.BatchBytes reports),
/// and the median time per rule, which stays flat when the cost grows linearly.
/// </summary>
internal sealed class BatchColumn : IColumn
{
    private readonly Kind _kind;

    private BatchColumn(Kind kind, string name, string legend)
    {
        _kind = kind;
        ColumnName = name;
        Legend = legend;
    }

    private enum Kind
    {
        Rules,
        BatchBytes,
        MedianPerRule,
    }

    public static IColumn Rules { get; } = new BatchColumn(Kind.Rules, "Rules", "Rules in the isolate transaction");

    public static IColumn BatchBytes { get; } = new BatchColumn(Kind.BatchBytes, "BatchBytes", "Bytes of the isolate transaction (one sendmsg)");

    public static IColumn MedianPerRule { get; } = new BatchColumn(Kind.MedianPerRule, "Median/rule", "Median divided by Rules");

    public string Id => nameof(BatchColumn) + "." + _kind;

    public string ColumnName { get; }

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => (int)_kind;

    public bool IsNumeric => true;

    public UnitType UnitType => _kind == Kind.BatchBytes ? UnitType.Size : UnitType.Dimensionless;

    public string Legend { get; }

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(benchmarkCase);
        if (benchmarkCase.Parameters["Peers"] is not int peers)
        {
            return "-";
        }

        (int rules, int bytes) = Measure(peers);
        switch (_kind)
        {
            case Kind.Rules:
                return rules.ToString(CultureInfo.InvariantCulture);
            case Kind.BatchBytes:
                return bytes.ToString("N0", CultureInfo.InvariantCulture) + " B";
            default:
                double? median = summary[benchmarkCase]?.ResultStatistics?.Median;
                return median is double ns ? (ns / rules).ToString("N1", CultureInfo.InvariantCulture) + " ns" : "-";
        }
    }

    private static (int Rules, int Bytes) Measure(int peers)
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ScalePolicies.WithEndpoints(peers));
        using var batch = new NfTablesBatch();
        ruleset.WriteIsolateBatch(batch, 1);
        return (ruleset.Rules.Count, batch.Bytes.Length);
    }
}
