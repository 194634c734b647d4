using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// Closing the netfilter socket while another socket's commit is being handed over, and opening it again on demand.
public sealed partial class HostIsolator
{
    private bool _disposed;

    /// <summary>False between <see cref="ReleaseConnection"/> and the next kernel call.</summary>
    internal bool HasOpenConnection => _connection is not null;

    /// <summary>The socket every kernel call goes through; after <see cref="ReleaseConnection"/>, a new one.</summary>
    private NfTablesConnection Connection
    {
        get
        {
            if (_connection is { } open)
            {
                return open;
            }

            ObjectDisposedException.ThrowIf(_disposed, this);
            return _connection = NfTablesConnection.Open(NamespacePath, _reopenOptions);
        }
    }

    /// <summary>
    /// Closes the netfilter socket now, before a guard commits for this namespace; the next kernel call opens a new one.
    /// The release of a netfilter socket (NETLINK_URELEASE) waits, holding the namespace's commit mutex, for any
    /// nf_tables destroy work pending anywhere — an RCU grace period after a commit that deleted something
    /// (nft_rcv_nl_event, nf_tables_trans_destroy_flush_work). Closed after the guard replaced a table, an unused
    /// socket would make the handing-over command wait for the guard's commit as if it had deleted the table itself
    /// (docs/adr/0006-additions-only-first-isolate.md). Does nothing for an isolator made around a given connection.
    /// </summary>
    internal void ReleaseConnection()
    {
        lock (_gate)
        {
            if (_reopenOptions is not null && _connection is { } open)
            {
                _connection = null;
                open.Dispose();
            }
        }
    }
}
