using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// What a run of the CLI reaches beyond its arguments: the standard streams, the kernel (an isolator on a namespace,
/// a restore pass) and the guard. Each executable's Program.cs runs with <see cref="ForProcess"/> and its own
/// <see cref="GuardRunner"/>; the parser's tests give their own streams and a kernel that refuses to be reached, so an
/// argument check that failed to refuse could never act on the machine the tests run on.
/// </summary>
internal sealed class CommandEnvironment
{
    /// <summary>Results, help, the version and <c>--json</c> reports.</summary>
    public required TextWriter Out { get; init; }

    /// <summary>The one line of every failure, and log lines.</summary>
    public required TextWriter Error { get; init; }

    /// <summary>How <c>guard</c> runs in this executable, once its options are valid.</summary>
    public required GuardRunner RunGuard { get; init; }

    /// <summary>The column help wraps at; asked only when help is printed (a terminal's width is an ioctl).</summary>
    public Func<int> HelpWidth { get; init; } = () => int.MaxValue;

    /// <summary>Opens the isolator on a namespace (null: the one this process runs in): the first kernel call of
    /// isolate, unisolate, status and show.</summary>
    public Func<string?, ILogger, HostIsolator> OpenIsolator { get; init; } = (netns, logger) => HostIsolator.Open(netns, logger);

    /// <summary>restore's pass over the state directory: re-applies each recorded intent, or hands the pass to the
    /// guard serving that directory.</summary>
    public Func<IntentStore, ILogger, IReadOnlyList<RestoreResult>> Restore { get; init; } = (store, logger) => new IsolationRestorer(store, logger).Restore();

    /// <summary>This process's stdout and stderr, help wrapped to the terminal's width.</summary>
    public static CommandEnvironment ForProcess(GuardRunner runGuard) => new()
    {
        Out = Console.Out,
        Error = Console.Error,
        RunGuard = runGuard,
        HelpWidth = () => Console.IsOutputRedirected || Console.WindowWidth <= 0 ? int.MaxValue : Console.WindowWidth,
    };
}
