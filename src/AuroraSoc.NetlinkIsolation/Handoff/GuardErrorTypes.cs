namespace AuroraSoc.NetlinkIsolation.Handoff;

/// <summary>What kind of failure a <see cref="GuardErrorReply"/> carries.</summary>
internal static class GuardErrorTypes
{
    public const string Isolation = "isolation";
    public const string InvalidPolicy = "invalid-policy";
    public const string IntentStore = "intent-store";
    public const string Refused = "refused";
    public const string Protocol = "protocol";
    public const string Internal = "internal";
}
