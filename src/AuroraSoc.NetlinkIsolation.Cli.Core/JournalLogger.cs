using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The guard's logging under systemd: one stderr line per event, prefixed with its syslog priority as <c>&lt;N&gt;</c>
/// and without a timestamp — journald adds both the time and the priority field from that prefix (sd-daemon(3),
/// "SD_WARNING"). Information and above are logged (a daemon's start, what it guards and every error belong in the
/// journal), debug detail with <c>-v</c>. <see cref="IsUnderSystemd"/> says when to use it instead of <see cref="StderrLogger"/>.
/// </summary>
internal sealed class JournalLogger(string category, bool verbose, TextWriter stderr) : ILogger
{
    /// <summary>
    /// True when systemd started this process with its output connected to the journal (<c>JOURNAL_STREAM</c>,
    /// systemd.exec(5)) or as a unit at all (<c>INVOCATION_ID</c>).
    /// </summary>
    public static bool IsUnderSystemd(Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment("JOURNAL_STREAM") is { Length: > 0 } || environment("INVOCATION_ID") is { Length: > 0 };
    }

    /// <summary>The syslog priority of <paramref name="level"/> (syslog(3): LOG_CRIT 2, LOG_ERR 3, LOG_WARNING 4, LOG_INFO 6, LOG_DEBUG 7).</summary>
    public static int Priority(LogLevel level) => level switch
    {
        LogLevel.Trace or LogLevel.Debug => 7,
        LogLevel.Information => 6,
        LogLevel.Warning => 4,
        LogLevel.Error => 3,
        _ => 2,
    };

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel < LogLevel.None && logLevel >= (verbose ? LogLevel.Debug : LogLevel.Information);

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        // One journal entry per line: a message or exception with line breaks stays one entry.
        string message = formatter(state, exception).ReplaceLineEndings(" ");
        string line = $"<{Priority(logLevel)}>{category}[{eventId.Id}] {message}";
        stderr.WriteLine(exception is null ? line : $"{line} {exception.ToString().ReplaceLineEndings(" ")}");
    }
}
