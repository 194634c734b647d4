using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>Source-generated log events of the hand-over server (event ids 130–139, within the guard's range).</summary>
internal static partial class HandoffLogMessages
{
    [LoggerMessage(EventId = 130, Level = LogLevel.Information, Message = "Serving hand-overs on {SocketPath}")]
    public static partial void Serving(ILogger logger, string socketPath);

    [LoggerMessage(EventId = 131, Level = LogLevel.Warning, Message = "Refused a hand-over from pid {ProcessId} uid {UserId}: {Reason}")]
    public static partial void HandoffRefused(ILogger logger, int processId, uint userId, string reason);

    [LoggerMessage(EventId = 132, Level = LogLevel.Warning, Message = "A hand-over connection failed: {Error}")]
    public static partial void HandoffFailed(ILogger logger, string error);

    [LoggerMessage(EventId = 133, Level = LogLevel.Debug, Message = "Handed over: {Operation} from pid {ProcessId} ({Outcome}, {ElapsedMicroseconds} µs)")]
    public static partial void HandedOver(ILogger logger, string operation, int processId, string outcome, long elapsedMicroseconds);
}
