namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What the kernel's ruleset says about a namespace (isolated / not-isolated / degraded).</summary>
public enum IsolationState
{
    /// <summary>Our table does not exist: nothing of ours filters traffic.</summary>
    NotIsolated,
    /// <summary>Our table exists with its input and output chains at <c>policy drop</c>: only what the policy allows flows.</summary>
    Isolated,

    /// <summary>Our table exists but the input or output chain is missing or not <c>policy drop</c>: traffic may flow.</summary>
    Degraded,
}
