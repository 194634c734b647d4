namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The options of <c>guard</c>, checked (<see cref="GuardCommand"/>).</summary>
/// <param name="StateDirectory"><c>--state-dir</c>; null for the default (<c>$AURORASOC_STATE_DIR</c>, else /var/lib/aurorasoc-isolate).</param>
/// <param name="MonitorOnly"><c>--monitor-only</c>: watch and re-assert, never own the tables.</param>
/// <param name="VerifyInterval"><c>--verify-interval</c>; null for the guard's default.</param>
/// <param name="Verbose"><c>-v</c>: debug log lines on stderr.</param>
internal sealed record GuardArguments(string? StateDirectory, bool MonitorOnly, TimeSpan? VerifyInterval, bool Verbose);
