using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// How an <see cref="IsolationGuard"/> keeps the isolations of one state directory in force. Settable properties with
/// defaults, so a host can bind it from configuration (Microsoft.Extensions.Options).
/// </summary>
public sealed class IsolationGuardOptions
{
    /// <summary>
    /// The state directory whose intents are guarded and where the hand-over socket is served; defaults to
    /// <see cref="IntentStore.DefaultDirectory"/> (<c>$AURORASOC_STATE_DIR</c>, else /var/lib/aurorasoc-isolate).
    /// </summary>
    public string StateDirectory { get; set; } = IntentStore.DefaultDirectory;

    /// <summary>
    /// Watch and re-assert only, never own the tables (no NFT_TABLE_F_OWNER). Ownership is also off when the kernel
    /// cannot keep an owned table after its owner exits (no NFT_TABLE_F_PERSIST).
    /// </summary>
    public bool MonitorOnly { get; set; }

    /// <summary>How often every guarded table is re-read and compared with its intent, as a backstop to the events.</summary>
    public TimeSpan VerifyInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>SO_RCVBUF of each namespace's event socket; a test shrinks it to make the kernel drop events.</summary>
    internal int MonitorReceiveBufferBytes { get; set; } = NfTablesMonitor.DefaultReceiveBufferBytes;

    /// <summary>How often the guard checks that every watched namespace still exists.</summary>
    internal TimeSpan NamespaceCheckInterval { get; set; } = TimeSpan.FromSeconds(1);
}
