using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>How an <see cref="IsolationGuard"/> keeps the isolations of one state directory in force.</summary>
public sealed record IsolationGuardOptions
{
    /// <summary>The state directory whose intents are guarded and where the hand-over socket is served.</summary>
    public required string StateDirectory { get; init; }

    /// <summary>
    /// Watch and re-assert only, never own the tables (no NFT_TABLE_F_OWNER). Ownership is also off when the kernel
    /// cannot keep an owned table after its owner exits (no NFT_TABLE_F_PERSIST).
    /// </summary>
    public bool MonitorOnly { get; init; }

    /// <summary>How often every guarded table is re-read and compared with its intent, as a backstop to the events.</summary>
    public TimeSpan VerifyInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>SO_RCVBUF of each namespace's event socket; a test shrinks it to make the kernel drop events.</summary>
    internal int MonitorReceiveBufferBytes { get; init; } = NfTablesMonitor.DefaultReceiveBufferBytes;

    /// <summary>How often the guard checks that every watched namespace still exists.</summary>
    internal TimeSpan NamespaceCheckInterval { get; init; } = TimeSpan.FromSeconds(1);
}
