using System.Globalization;
using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>
/// One suite script, <c>tests/system/DIRECTORY/run.sh</c>, run at most once per test run (the first test to ask
/// runs it): first <c>run.sh --check</c> (exit 77 and a reason when the suite cannot run here), then
/// <c>run.sh AOT_BINARY</c>, whose <c>RESULT</c> lines become one test result each. The full output is kept in
/// <c>system-suite-logs/DIRECTORY.log</c> next to the test binaries.
/// </summary>
public abstract class SystemSuite
{
    private const int Unavailable = 77;
    private const string CreatedPrefix = "CREATED ";
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromMinutes(2);

    private readonly Lock gate = new();
    private readonly string directory;
    private readonly TimeSpan timeout;
    private SuiteRun? run;

    protected SystemSuite(string directory, TimeSpan timeout, IReadOnlyList<string> scenarios)
    {
        this.directory = directory;
        this.timeout = timeout;
        Scenarios = scenarios;
    }

    /// <summary>Every scenario the script must report; a missing one fails.</summary>
    public IReadOnlyList<string> Scenarios { get; }

    private string Script => Path.Combine(RepositoryPaths.Root, "tests", "system", directory, "run.sh");

    private string LogPath => Path.Combine(AppContext.BaseDirectory, "system-suite-logs", directory + ".log");

    /// <summary>Fails unless the script reported <paramref name="scenario"/> as passed.</summary>
    public void AssertPassed(NativeAotCli cli, string scenario)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var completed = Complete(cli);
        var result = completed.Report.Find(scenario);
        if (result is null)
        {
            Assert.Fail(
                $"{directory}: no RESULT line for '{scenario}' ({Summary(completed.Outcome)}); the end of its output:\n" +
                StandardErrorTail(completed.Outcome));
        }

        Assert.True(result.Passed, $"{directory}/{scenario}: {result.Detail}\n{ScenarioLog(completed.Outcome, scenario)}");
    }

    /// <summary>Fails when the script ended abnormally, or reported a scenario twice, malformed or not in
    /// <see cref="Scenarios"/> (so the list here and the script cannot drift apart).</summary>
    public void AssertRanToCompletion(NativeAotCli cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var completed = Complete(cli);
        var unknown = completed.Report.Names.Except(Scenarios, StringComparer.Ordinal).ToArray();
        Assert.True(
            completed.Outcome.ExitCode == 0 && unknown.Length == 0 && completed.Report.Duplicates.Count == 0 &&
            completed.Report.Malformed.Count == 0,
            $"{directory}: {Summary(completed.Outcome)}; unknown scenarios [{string.Join(", ", unknown)}], " +
            $"reported twice [{string.Join(", ", completed.Report.Duplicates)}], " +
            $"malformed [{string.Join(" | ", completed.Report.Malformed)}]\n{StandardErrorTail(completed.Outcome)}");
    }

    /// <summary>Fails when anything the script announced with <c>CREATED path</c> still exists after it exited.</summary>
    public void AssertLeftNothingBehind(NativeAotCli cli)
    {
        ArgumentNullException.ThrowIfNull(cli);
        var completed = Complete(cli);
        var created = completed.Outcome.StandardOutput.Split('\n')
            .Where(line => line.StartsWith(CreatedPrefix, StringComparison.Ordinal))
            .Select(line => line[CreatedPrefix.Length..].TrimEnd('\r'))
            .ToArray();
        Assert.NotEmpty(created);
        var left = created.Where(path => Directory.Exists(path) || File.Exists(path)).ToArray();
        Assert.True(left.Length == 0, $"{directory}: still there after the suite exited: {string.Join(", ", left)}");
    }

    private SuiteRun Complete(NativeAotCli cli)
    {
        lock (gate)
        {
            run ??= Execute(cli);
        }

        if (run.UnavailableReason is { } reason)
        {
            Requirements.Unavailable($"{directory} suite: {reason}");
        }

        return run.Failure is { } failure
            ? throw new InvalidOperationException($"{directory} suite could not run: {failure.Message}", failure)
            : run;
    }

    private SuiteRun Execute(NativeAotCli cli)
    {
        try
        {
            var check = GracefulProcess.Run("bash", [Script, "--check"], CheckTimeout);
            if (check.ExitCode == Unavailable)
            {
                return SuiteRun.NotHere(check.StandardOutput.Trim());
            }

            if (check.ExitCode != 0)
            {
                return SuiteRun.Broken(new InvalidOperationException($"`{check.CommandLine}` exited {check.ExitCode}: {check.StandardError}"));
            }

            var outcome = GracefulProcess.Run("bash", [Script, cli.BinaryPath], timeout);
            Directory.CreateDirectory(Path.GetDirectoryName(LogPath)!);
            File.WriteAllText(LogPath, $"# {Summary(outcome)}\n{outcome.StandardOutput}\n{outcome.StandardError}");
            if (outcome.ExitCode == Unavailable)
            {
                return SuiteRun.NotHere(outcome.StandardOutput.Trim());
            }

            return new SuiteRun(outcome, ScenarioReport.Parse(outcome.StandardOutput), null, null);
        }
        catch (Exception ex) when (ex is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return SuiteRun.Broken(ex);
        }
    }

    private string Summary(ProcessResult outcome) => string.Create(
        CultureInfo.InvariantCulture,
        $"`{outcome.CommandLine}` exited {outcome.ExitCode} after {outcome.Elapsed.TotalSeconds:0} s; full log: {LogPath}");

    /// <summary>The last lines of stderr, for failure messages.</summary>
    private static string StandardErrorTail(ProcessResult outcome)
    {
        var lines = outcome.StandardError.Split('\n');
        return string.Join('\n', lines.Skip(Math.Max(0, lines.Length - 60)));
    }

    /// <summary>The diagnostic lines the scenario printed (scenario.sh prefixes them with "[name] ").</summary>
    private static string ScenarioLog(ProcessResult outcome, string scenario)
    {
        var prefix = $"[{scenario}] ";
        return string.Join('\n', outcome.StandardError.Split('\n')
            .Select(line => line.TrimEnd('\r'))
            .Where(line => line.StartsWith(prefix, StringComparison.Ordinal))
            .Take(120));
    }

    private sealed record SuiteRun(ProcessResult Outcome, ScenarioReport Report, string? UnavailableReason, Exception? Failure)
    {
        private static readonly ProcessResult NoOutcome = new(-1, string.Empty, string.Empty);

        public static SuiteRun NotHere(string reason) =>
            new(NoOutcome, ScenarioReport.Parse(string.Empty), reason.Length > 0 ? reason : "the suite cannot run here", null);

        public static SuiteRun Broken(Exception failure) => new(NoOutcome, ScenarioReport.Parse(string.Empty), null, failure);
    }
}
