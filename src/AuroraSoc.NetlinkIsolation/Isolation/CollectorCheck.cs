namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>One TCP connection attempt to a collector after the commit, made from inside the isolated namespace.</summary>
/// <param name="Endpoint">The collector (an address with a port).</param>
/// <param name="Ok">True when the three-way handshake completed.</param>
/// <param name="Milliseconds">How long the attempt took, until it connected, failed or ran out of time.</param>
/// <param name="Error">Why it failed ("connection refused", "timed out after 5000 ms", ...); null when it connected.</param>
public sealed record CollectorCheck(Endpoint Endpoint, bool Ok, long Milliseconds, string? Error)
{
    /// <summary><c>192.0.2.10:6514 connection refused</c>, as the rollback message lists it.</summary>
    public override string ToString() => Ok ? $"{Endpoint} connected" : $"{Endpoint} {Error}";
}
