namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>The operations a guard serves.</summary>
internal static class GuardOperations
{
    /// <summary>2: isolate carries its options, and its result the collector checks and the connections cut.</summary>
    public const int ProtocolVersion = 2;
    public const string Isolate = "isolate";
    public const string Unisolate = "unisolate";
    public const string Restore = "restore";
}
