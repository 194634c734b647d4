using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>Console logging to stderr (stdout is reserved for results and <c>--json</c>).</summary>
internal static class CliLogging
{
    /// <summary>
    /// Warnings by default; with <c>-v</c> everything from Debug up. Without <c>-v</c> the library's Error events are
    /// left out: each of them is a failure that the CLI reports itself as its one stderr line (cli.md), and a second
    /// rendering of the same failure would break that contract.
    /// </summary>
    public static ILoggerFactory Create(bool verbose) => verbose ? CreateConsole(verbose) : new DeferredLoggerFactory(() => CreateConsole(verbose), level => level == LogLevel.Warning);

    private static ILoggerFactory CreateConsole(bool verbose) => LoggerFactory.Create(builder =>
    {
        if (verbose)
        {
            builder.SetMinimumLevel(LogLevel.Debug);
        }
        else
        {
            builder.SetMinimumLevel(LogLevel.Warning);
            builder.AddFilter(level => level == LogLevel.Warning);
        }

        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = false;
            options.TimestampFormat = "HH:mm:ss.ffffff ";
            options.ColorBehavior = LoggerColorBehavior.Default;
        });
    });
}
