namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The options of <c>guard</c>, checked (<see cref="GuardCommand"/>). A class, not a record: nothing compares them, and
/// a record's generated equality is type data every start of the NativeAOT image pays for (docs/benchmarks.md, "Cold
/// start").
/// </summary>
/// <param name="stateDirectory"><c>--state-dir</c>; null for the default (<c>$AURORASOC_STATE_DIR</c>, else /var/lib/aurorasoc-isolate).</param>
/// <param name="monitorOnly"><c>--monitor-only</c>: watch and re-assert, never own the tables.</param>
/// <param name="verifyInterval"><c>--verify-interval</c>; null for the guard's default.</param>
/// <param name="verbose"><c>-v</c>: debug log lines on stderr.</param>
internal sealed class GuardArguments(string? stateDirectory, bool monitorOnly, TimeSpan? verifyInterval, bool verbose)
{
    public string? StateDirectory { get; } = stateDirectory;

    public bool MonitorOnly { get; } = monitorOnly;

    public TimeSpan? VerifyInterval { get; } = verifyInterval;

    public bool Verbose { get; } = verbose;
}
