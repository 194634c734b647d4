using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>The guard host's own events (the library's are GuardLogMessages, 100–141).</summary>
internal static partial class GuardHostLogMessages
{
    [LoggerMessage(EventId = 150, Level = LogLevel.Information, Message = "reloaded {StateDirectory}: {Status}")]
    public static partial void Reloaded(ILogger logger, string stateDirectory, string status);

    [LoggerMessage(EventId = 151, Level = LogLevel.Error, Message = "reload of {StateDirectory} failed, still guarding what was guarded: {Reason}")]
    public static partial void ReloadFailed(ILogger logger, string stateDirectory, string reason);
}
