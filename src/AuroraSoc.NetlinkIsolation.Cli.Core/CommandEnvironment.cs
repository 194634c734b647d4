using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Interop.Process;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// What a run of the CLI reaches beyond its arguments: the standard streams, the kernel (an isolator on a namespace,
/// a restore pass), the guard and watch. Each executable's Program.cs runs with this process's, and its own
/// <see cref="GuardRunner"/> and <see cref="WatchRunner"/>; the parser's tests override the streams and a kernel that
/// refuses to be reached, so an argument check that failed to refuse could never act on the machine the tests run on.
/// </summary>
/// <remarks>
/// Virtual members rather than delegates set at construction: nothing is opened or allocated before it is used, so
/// a start that never writes to stderr never opens it (docs/benchmarks.md, "Cold start": every page touched counts).
/// </remarks>
/// <param name="runGuard">How <c>guard</c> runs in this executable, once its options are valid.</param>
/// <param name="runWatch">How <c>watch</c> runs in this executable.</param>
internal class CommandEnvironment(GuardRunner runGuard, WatchRunner runWatch)
{
    /// <summary>How <c>guard</c> runs in this executable, once its options are valid.</summary>
    public GuardRunner RunGuard { get; } = runGuard;

    /// <summary>How <c>watch</c> runs in this executable.</summary>
    public WatchRunner RunWatch { get; } = runWatch;

    private TextWriter? _out;
    private TextWriter? _error;

    /// <summary>Results, help, the version and <c>--json</c> reports (stdout, opened at the first write's request).</summary>
    public virtual TextWriter Out => _out ??= StandardStreamWriter.Open(StandardDescriptor.Output);

    /// <summary>The one line of every failure, and log lines (stderr, opened at the first write's request).</summary>
    public virtual TextWriter Error => _error ??= StandardStreamWriter.Open(StandardDescriptor.Error);

    /// <summary>The column help wraps at: the terminal's width, unbounded when stdout is not a terminal.</summary>
    public virtual int HelpWidth => Console.IsOutputRedirected || Console.WindowWidth <= 0 ? int.MaxValue : Console.WindowWidth;

    /// <summary>
    /// Opens the isolator on a namespace (null: the one this process runs in): the first kernel call of isolate,
    /// unisolate, status and show.
    /// </summary>
    public virtual HostIsolator OpenIsolator(string? netns, ILogger logger) => HostIsolator.Open(netns, logger);

    /// <summary>
    /// restore's pass over the state directory: re-applies each recorded intent, or hands the pass to the guard
    /// serving that directory.
    /// </summary>
    public virtual IReadOnlyList<RestoreResult> Restore(IntentStore store, ILogger logger) => new IsolationRestorer(store, logger).Restore();
}
