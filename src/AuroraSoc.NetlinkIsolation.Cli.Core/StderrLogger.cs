using System.Globalization;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The CLI's whole logging: each enabled event is one stderr line in the console logger's single-line layout
/// (<c>HH:mm:ss.ffffff dbug: Category[EventId] message</c>, the time in UTC) — no factory, no DI container, no
/// options, no background thread, so a run that logs nothing pays for nothing. stdout is reserved for results and
/// <c>--json</c>.
/// </summary>
/// <remarks>
/// Without <c>-v</c> only Warning events pass. The library's Error events are left out then: each of them is a failure
/// that the CLI reports itself as its one stderr line (cli.md), and a second rendering would break that contract.
/// </remarks>
internal sealed class StderrLogger(string category, bool verbose, TextWriter stderr) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull
        => null;

    public bool IsEnabled(LogLevel logLevel) => verbose ? logLevel is >= LogLevel.Debug and < LogLevel.None : logLevel == LogLevel.Warning;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        if (!IsEnabled(logLevel))
        {
            return;
        }

        string message = formatter(state, exception);
        // The time of day field by field, not through DateTime's custom format (see IntentText).
        DateTime now = DateTime.UtcNow;
        string line = string.Create(
            CultureInfo.InvariantCulture,
            $"{now.Hour:D2}:{now.Minute:D2}:{now.Second:D2}.{now.Ticks % TimeSpan.TicksPerSecond / 10:D6} {Abbreviation(logLevel)}: {category}[{eventId.Id}] {message}");
        stderr.WriteLine(exception is null ? line : $"{line} {exception.ToString().ReplaceLineEndings(" ")}");
    }

    private static string Abbreviation(LogLevel level) => level switch
    {
        LogLevel.Trace => "trce",
        LogLevel.Debug => "dbug",
        LogLevel.Information => "info",
        LogLevel.Warning => "warn",
        LogLevel.Error => "fail",
        _ => "crit",
    };
}
