using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>Source-generated log events of the guard (event ids 100–199).</summary>
internal static partial class GuardLogMessages
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "Guard started for state directory {StateDirectory}: {Mode}; {Intents} intent(s) in force, {Skipped} skipped, {Failed} failed")]
    public static partial void Started(ILogger logger, string stateDirectory, string mode, int intents, int skipped, int failed);

    [LoggerMessage(EventId = 101, Level = LogLevel.Information, Message = "Table persistence (NFT_TABLE_F_PERSIST): {Persistence}; {Evidence}")]
    public static partial void PersistenceProbed(ILogger logger, string persistence, string evidence);

    [LoggerMessage(EventId = 102, Level = LogLevel.Warning, Message = "The kernel cannot keep an owned table when its owner exits ({Evidence}); guarding by watching instead of owning, since an owned table without PERSIST would vanish with the guard")]
    public static partial void OwnershipUnavailable(ILogger logger, string evidence);

    [LoggerMessage(EventId = 110, Level = LogLevel.Warning, Message = "Tamper with table inet {Table} in {Target}: {Changes} by {ProcessName} (pid {ProcessId}, netlink port {PortId}); the recorded ruleset was re-committed in one transaction ({ElapsedMicroseconds} µs)")]
    public static partial void TamperReverted(ILogger logger, string table, string target, string changes, string processName, uint processId, uint portId, long elapsedMicroseconds);

    [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "Table inet {Table} in {Target} differed from its intent on re-reading ({Reason}: {Difference}); the recorded ruleset was re-committed in one transaction ({ElapsedMicroseconds} µs)")]
    public static partial void DriftReverted(ILogger logger, string table, string target, string reason, string difference, long elapsedMicroseconds);

    [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "Change events for {Target} were lost (the kernel reported ENOBUFS); re-reading every guarded table there")]
    public static partial void EventsLost(ILogger logger, string target);

    [LoggerMessage(EventId = 113, Level = LogLevel.Error, Message = "Could not re-assert table inet {Table} in {Target}: {Error}; retrying on the next verification")]
    public static partial void ReassertFailed(ILogger logger, string table, string target, string error);

    [LoggerMessage(EventId = 120, Level = LogLevel.Information, Message = "Guarding table inet {Table} in {Target} ({Rules} rules, {Mode})")]
    public static partial void Guarding(ILogger logger, string table, string target, int rules, string mode);

    [LoggerMessage(EventId = 121, Level = LogLevel.Information, Message = "Intent for table inet {Table} in {Target} kept but not applied: {Reason}")]
    public static partial void NamespaceMissing(ILogger logger, string table, string target, string reason);

    [LoggerMessage(EventId = 122, Level = LogLevel.Error, Message = "Intent for table inet {Table} in {Target} could not be applied: {Error}")]
    public static partial void IntentFailed(ILogger logger, string table, string target, string error);

    [LoggerMessage(EventId = 123, Level = LogLevel.Error, Message = "Intent file {FilePath} cannot be used: {Error}")]
    public static partial void IntentUnreadable(ILogger logger, string filePath, string error);

    [LoggerMessage(EventId = 124, Level = LogLevel.Information, Message = "Table inet {Table} in {Target} is no longer guarded: its intent was removed")]
    public static partial void Unguarded(ILogger logger, string table, string target);

    [LoggerMessage(EventId = 125, Level = LogLevel.Warning, Message = "Namespace {Target} disappeared; no longer watching it (its intents are kept)")]
    public static partial void NamespaceGone(ILogger logger, string target);


    [LoggerMessage(EventId = 126, Level = LogLevel.Information, Message = "Agent cgroup {Cgroup} exists again under a new id; re-committed table inet {Table} in {Target} in {ElapsedMicroseconds} us")]
    public static partial void AgentCgroupRecommitted(ILogger logger, string table, string target, string cgroup, long elapsedMicroseconds);

    [LoggerMessage(EventId = 140, Level = LogLevel.Information, Message = "Guard stopped; every table stays in place")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 141, Level = LogLevel.Error, Message = "The guard's {Activity} failed and will be retried: {Error}")]
    public static partial void BackgroundFailure(ILogger logger, string activity, string error);
}
