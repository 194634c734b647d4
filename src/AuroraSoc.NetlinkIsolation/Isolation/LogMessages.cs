using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Source-generated log events: one structured event per operation.</summary>
internal static partial class LogMessages
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Isolated {Namespace} with table inet {Table}: {RuleCount} rules in one transaction, {ElapsedMicroseconds} µs")]
    public static partial void Isolated(ILogger logger, string table, string @namespace, int ruleCount, long elapsedMicroseconds);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "Isolate of {Namespace} (table inet {Table}) failed after {ElapsedMicroseconds} µs: {Kind} errno {Errno}; state afterwards {StateAfter}")]
    public static partial void IsolateFailed(ILogger logger, string table, string @namespace, long elapsedMicroseconds, string kind, int errno, string stateAfter);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "Unisolated {Namespace}: table inet {Table} deleted (or absent), {ElapsedMicroseconds} µs")]
    public static partial void Unisolated(ILogger logger, string table, string @namespace, long elapsedMicroseconds);

    [LoggerMessage(EventId = 4, Level = LogLevel.Error, Message = "Unisolate of {Namespace} (table inet {Table}) failed after {ElapsedMicroseconds} µs: {Kind} errno {Errno}; state afterwards {StateAfter}")]
    public static partial void UnisolateFailed(ILogger logger, string table, string @namespace, long elapsedMicroseconds, string kind, int errno, string stateAfter);

    [LoggerMessage(EventId = 5, Level = LogLevel.Debug, Message = "Status of {Namespace} (table inet {Table}): {State} at generation {Generation}, {RuleCount} rules, {ElapsedMicroseconds} µs")]
    public static partial void StatusRead(ILogger logger, string table, string @namespace, string state, uint generation, int ruleCount, long elapsedMicroseconds);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "The outcome of {Operation} on {Namespace} was unknown ({Reason}); probed again: {StateAfter}")]
    public static partial void OutcomeReprobed(ILogger logger, string operation, string @namespace, string reason, string stateAfter);

    [LoggerMessage(EventId = 8, Level = LogLevel.Information, Message = "Collector verification from {Namespace}: {Reachable} of {Tried} collectors connected within {TimeoutMilliseconds} ms")]
    public static partial void CollectorsVerified(ILogger logger, string @namespace, int reachable, int tried, long timeoutMilliseconds);

    // Information: the caller learns of a rollback from the exception it gets, which says the same; a CLI prints that.
    [LoggerMessage(EventId = 9, Level = LogLevel.Information, Message = "No collector reachable from {Namespace} ({Failures}); rolled table inet {Table} back to {StateAfter} in one transaction")]
    public static partial void RolledBack(ILogger logger, string table, string @namespace, string failures, string stateAfter);

    [LoggerMessage(EventId = 10, Level = LogLevel.Error, Message = "No collector reachable from {Namespace}, and rolling table inet {Table} back failed: {Reason}; state afterwards {StateAfter}")]
    public static partial void RollbackFailed(ILogger logger, string table, string @namespace, string reason, string stateAfter);

    [LoggerMessage(EventId = 11, Level = LogLevel.Information, Message = "Strict mode in {Namespace}: {Destroyed} of {Examined} established TCP connections cut")]
    public static partial void SessionsCut(ILogger logger, string @namespace, int destroyed, int examined);

    // Information: the caller learns of it from SessionCutResult.Warning and warns in its own voice (the CLI does,
    // also when a guard did the isolating).
    [LoggerMessage(EventId = 12, Level = LogLevel.Information, Message = "Strict mode in {Namespace}: {Warning}")]
    public static partial void SessionCuttingIncomplete(ILogger logger, string @namespace, string warning);

    [LoggerMessage(EventId = 13, Level = LogLevel.Debug, Message = "Table inet {Table} appeared in {Namespace} between the probe and the first isolate's commit (EEXIST, nothing changed); replacing it in a second transaction")]
    public static partial void TableAppeared(ILogger logger, string table, string @namespace);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "Probe of {Namespace} (table inet {Table}): isolated={Isolated}, {ElapsedMicroseconds} µs")]
    public static partial void Probed(ILogger logger, string table, string @namespace, bool isolated, long elapsedMicroseconds);
}
