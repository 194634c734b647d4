using AuroraSoc.NetlinkIsolation.Guard;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// <c>guard</c>: a thin host of <see cref="IsolationGuard"/> (guard.md). Runs until SIGTERM or SIGINT, then exits 0 and
/// leaves every table in place; exits 1 when it cannot start. Tells systemd READY=1 once every intent is in force.
/// </summary>
internal static partial class GuardCommand
{
    public static CliCommand Syntax { get; } = new(
        "guard",
        "Keep every recorded isolation in force until stopped: own each table where the kernel keeps owned tables (PERSIST), watch nf_tables' change events and re-commit any table another process changes, and take hand-overs from isolate, unisolate and restore. Stopping never un-isolates.",
        [CliOptions.StateDir, CliOptions.MonitorOnly, CliOptions.VerifyInterval],
        "Example:\n  aurorasoc-isolate guard --state-dir /var/lib/aurorasoc-isolate\n\nExit codes: 0 stopped by SIGTERM/SIGINT (tables stay), 1 could not start, 2 invalid input.",
        Run);

    /// <summary>
    /// Runs the guard: in <c>aurorasoc-isolate</c> by execv of <c>aurorasoc-isolate-guard</c> (GuardCommand.Exec.cs),
    /// in that executable by hosting <see cref="IsolationGuard"/> (GuardCommand.Host.cs). The guard's code then stays
    /// out of the image every other command starts (docs/benchmarks.md, "Cold start").
    /// </summary>
    private static partial int Run(ParsedCommandLine line);
}
