namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What one isolate transaction installed and how long it took.</summary>
public readonly record struct IsolationResult(string TableName, int RuleCount, int ChainCount, int BatchBytes, long ElapsedMicroseconds)
{
    /// <summary>The collector connection attempts (<see cref="IsolateOptions.VerifyCollectors"/>); empty without verification.</summary>
    public IReadOnlyList<CollectorCheck> Verified { get; init; } = [];

    /// <summary>What cutting open connections did (strict mode); <see cref="SessionCutResult.None"/> in keep mode.</summary>
    public SessionCutResult SessionsCut { get; init; } = SessionCutResult.None;
}
