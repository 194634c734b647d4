namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What the kernel's ruleset says about a namespace (isolated / not-isolated / degraded).</summary>
public enum IsolationState
{
    NotIsolated,
    Isolated,

    /// <summary>Our table exists but the input or output chain is missing or not <c>policy drop</c>: traffic may flow.</summary>
    Degraded,
}
