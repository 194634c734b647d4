namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>How one isolate call proves and enforces itself beyond committing the ruleset (docs/operations.md, "Operator options").</summary>
public sealed class IsolateOptions
{
    /// <summary>Isolate with the defaults: no collector verification; strict mode cuts open connections.</summary>
    public static IsolateOptions Default { get; } = new();

    /// <summary>
    /// After the commit, connect from inside the namespace to every collector with a port; when none connects
    /// within <see cref="VerifyTimeout"/>, put the previous state back in one transaction and fail
    /// (<see cref="IsolationErrorKind.CollectorUnreachable"/>).
    /// </summary>
    public bool VerifyCollectors { get; init; }

    /// <summary>The bound on the connection attempts; all run at once. Default 5 s.</summary>
    public TimeSpan VerifyTimeout { get; init; } = CollectorVerification.DefaultTimeout;

    /// <summary>
    /// In strict mode, destroy every established TCP connection the policy does not allow, right after the commit
    /// (and after a successful verification). Keep mode never cuts anything. Default true.
    /// </summary>
    public bool CutOpenConnections { get; init; } = true;
}
