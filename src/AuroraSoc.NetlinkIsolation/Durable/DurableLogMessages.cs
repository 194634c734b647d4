using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>Log events of the intent store and restore (event ids 100–199).</summary>
internal static partial class DurableLogMessages
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Recorded the intent for {Target} table inet {Table} in {StateDirectory}")]
    public static partial void IntentRecorded(ILogger logger, string target, string table, string stateDirectory);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "The commit for {Target} table inet {Table} failed; put back {What} as the recorded intent")]
    public static partial void IntentReinstated(ILogger logger, string target, string table, string what);

    [LoggerMessage(EventId = 102, Level = LogLevel.Error, Message = "The commit for {Target} table inet {Table} failed, and the previous intent could not be put back: {Reason}")]
    public static partial void IntentReinstateFailed(ILogger logger, string target, string table, string reason);

    [LoggerMessage(EventId = 103, Level = LogLevel.Debug, Message = "Forgot the intent for {Target} table inet {Table}")]
    public static partial void IntentForgotten(ILogger logger, string target, string table);

    [LoggerMessage(EventId = 104, Level = LogLevel.Information, Message = "Restored {Target} table inet {Table} from its recorded intent")]
    public static partial void IntentRestored(ILogger logger, string target, string table);

    [LoggerMessage(EventId = 105, Level = LogLevel.Warning, Message = "Skipped restoring {Target} table inet {Table}, intent kept: {Reason}")]
    public static partial void IntentRestoreSkipped(ILogger logger, string target, string table, string reason);

    [LoggerMessage(EventId = 106, Level = LogLevel.Error, Message = "Could not restore {Target} table inet {Table}: {Reason}")]
    public static partial void IntentRestoreFailed(ILogger logger, string target, string table, string reason);

    [LoggerMessage(EventId = 107, Level = LogLevel.Warning, Message = "Restored {Target} table inet {Table} degraded, failing closed: {Reason}")]
    public static partial void IntentRestoredDegraded(ILogger logger, string target, string table, string reason);
}
