namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What happens to flows that were open when isolation started (docs/ruleset.md, "Keep vs strict").</summary>
public enum IsolationMode
{
    /// <summary>Established and related flows survive, as the original design note intended.</summary>
    Keep,

    /// <summary>Only flows with collectors and allowed peers survive; every other connection is cut.</summary>
    Strict,
}
