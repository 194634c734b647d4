namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>The operations a guard serves.</summary>
internal static class GuardOperations
{
    /// <summary>
    /// 4: the intent an isolate carries may hold agent identities, an allowlist and the recording (intent format 3,
    /// <c>agentIdentities</c>, <c>peerRanges</c> and <c>recordBlocked</c>), which a guard of protocol 3 would not install, so frames grow to
    /// <see cref="GuardFrames.MaxFrameBytes"/>. 3: isolate and unisolate say when their target is the caller's own namespace (no namespace path), so the guard
    /// derives the target from the caller's process instead of taking its word. (2: isolate carries its options, and
    /// its result the collector checks and the connections cut.)
    /// </summary>
    public const int ProtocolVersion = 4;
    public const string Isolate = "isolate";
    public const string Unisolate = "unisolate";
    public const string Restore = "restore";
}
