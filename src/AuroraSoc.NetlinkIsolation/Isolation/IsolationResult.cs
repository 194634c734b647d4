namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What one isolate transaction installed and how long it took.</summary>
public readonly record struct IsolationResult(string TableName, int RuleCount, int ChainCount, int BatchBytes, long ElapsedMicroseconds);
