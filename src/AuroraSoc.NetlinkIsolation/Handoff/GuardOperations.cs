namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>The operations a guard serves.</summary>
internal static class GuardOperations
{
    /// <summary>
    /// 4: the intent of an isolate request is intent format 3 (it may say <c>recordBlocked</c>).
    /// 3: isolate and unisolate say when their target is the caller's own namespace (no namespace path), so the guard
    /// derives the target from the caller's process instead of taking its word. (2: isolate carries its options, and
    /// its result the collector checks and the connections cut.)
    /// </summary>
    public const int ProtocolVersion = 4;
    public const string Isolate = "isolate";
    public const string Unisolate = "unisolate";
    public const string Restore = "restore";
}
