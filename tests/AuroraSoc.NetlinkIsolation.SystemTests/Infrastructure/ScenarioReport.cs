namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>
/// The verdicts a suite script printed: lines <c>RESULT name pass|fail detail</c> (tests/system/lib/scenario.sh).
/// Anything else on the stream is ignored (the kernel suite's serial console carries boot messages); carriage
/// returns are dropped. A scenario reported twice keeps its first verdict and is listed in <see cref="Duplicates"/>.
/// </summary>
internal sealed class ScenarioReport
{
    private const string Keyword = "RESULT";

    private readonly Dictionary<string, ScenarioResult> results;

    private ScenarioReport(Dictionary<string, ScenarioResult> results, IReadOnlyList<string> duplicates, IReadOnlyList<string> malformed)
    {
        this.results = results;
        Duplicates = duplicates;
        Malformed = malformed;
    }

    /// <summary>Scenario names in the order they were reported.</summary>
    public IReadOnlyList<string> Names => [.. results.Keys];

    /// <summary>Names reported more than once.</summary>
    public IReadOnlyList<string> Duplicates { get; }

    /// <summary>Lines that start with <c>RESULT</c> but are not <c>RESULT name pass|fail [detail]</c>.</summary>
    public IReadOnlyList<string> Malformed { get; }

    public static ScenarioReport Parse(string output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var results = new Dictionary<string, ScenarioResult>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        var malformed = new List<string>();
        foreach (var rawLine in output.Split('\n'))
        {
            var line = rawLine.Replace("\r", string.Empty, StringComparison.Ordinal);
            if (line != Keyword && !line.StartsWith(Keyword + " ", StringComparison.Ordinal))
            {
                continue;
            }

            var fields = line.Length > Keyword.Length ? line[(Keyword.Length + 1)..].Split(' ', 3) : [];
            if (fields.Length < 2 || fields[0].Length == 0 || fields[1] is not ("pass" or "fail"))
            {
                malformed.Add(line);
                continue;
            }

            var result = new ScenarioResult(fields[0], fields[1] == "pass", fields.Length == 3 ? fields[2] : string.Empty);
            if (!results.TryAdd(result.Name, result))
            {
                duplicates.Add(result.Name);
            }
        }

        return new ScenarioReport(results, duplicates, malformed);
    }

    public ScenarioResult? Find(string name) => results.GetValueOrDefault(name);
}
