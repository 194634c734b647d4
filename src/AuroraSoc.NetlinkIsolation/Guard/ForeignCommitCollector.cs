using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// Decides which events on NFNLGRP_NFTABLES are tamper: a change to a guarded inet table by any port id other than the
/// guard's own (every notification carries the committing socket's port id, so the guard's own re-commits are told
/// apart without timing). They are collected until the NEWGEN that closes their commit and then handed over at once,
/// so that one commit is answered with one re-commit, and reported with the process that NEWGEN names.
/// </summary>
/// <param name="ownPortId">The port id of the guard's owning connection in this namespace.</param>
/// <param name="isGuarded">True for the name of a table guarded in this namespace.</param>
internal sealed class ForeignCommitCollector(uint ownPortId, Func<string, bool> isGuarded)
{
    private readonly List<NfTablesEvent> _foreign = [];

    /// <summary>
    /// Takes the next event in the order the kernel sent it; returns the changes of another process's commit when
    /// <paramref name="change"/> is the NEWGEN closing one that touched a guarded table, else null.
    /// </summary>
    public NfTablesEvent[]? Add(in NfTablesEvent change)
    {
        if (change.IsCommitEnd)
        {
            if (_foreign.Count == 0)
            {
                return null;
            }

            NfTablesEvent[] changes = [.. _foreign];
            _foreign.Clear();
            return changes;
        }

        if (change.PortId != ownPortId && change.Family == NfProtocolFamily.Inet && change.Table is { } table && isGuarded(table))
        {
            _foreign.Add(change);
        }

        return null;
    }

    /// <summary>Forgets the changes of an unfinished commit: events were lost, so which commit they belong to is unknown.</summary>
    public void Discard() => _foreign.Clear();
}
