using System.Collections.Concurrent;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// One watched network namespace: the owning connection every change of the guard goes through (its port id owns the
/// tables), the event socket subscribed to NFNLGRP_NFTABLES there, and the thread that reads it. Changes by any other
/// port id to a guarded table are collected until the NEWGEN that closes their commit and then reported at once, with
/// the committing process that NEWGEN names.
/// </summary>
internal sealed class GuardedNamespace : IDisposable
{
    private const int PollMilliseconds = 250;

    private readonly NfTablesMonitor _monitor;
    private readonly Action<GuardedNamespace, IReadOnlyList<NfTablesEvent>, NfTablesEvent> _onForeignCommit;
    private readonly Action<GuardedNamespace> _onEventsLost;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private GuardedNamespace(
        string target,
        ulong namespaceInode,
        HostIsolator owner,
        NfTablesMonitor monitor,
        Action<GuardedNamespace, IReadOnlyList<NfTablesEvent>, NfTablesEvent> onForeignCommit,
        Action<GuardedNamespace> onEventsLost,
        ILogger logger)
    {
        Target = target;
        NamespaceInode = namespaceInode;
        Owner = owner;
        _monitor = monitor;
        _onForeignCommit = onForeignCommit;
        _onEventsLost = onEventsLost;
        _logger = logger;
        _thread = new Thread(Watch) { IsBackground = true, Name = "AuroraSoc guard " + target };
    }

    /// <summary><see cref="IsolationIntent.HostTarget"/>, the namespace path or its <c>net:[INODE]</c> identity.</summary>
    public string Target { get; }

    /// <summary>The namespace's inode when it was opened; the path naming another (or none) means it is gone.</summary>
    public ulong NamespaceInode { get; }

    /// <summary>The connection the guard commits through; with ownership on, its port id owns every guarded table here.</summary>
    public HostIsolator Owner { get; }

    /// <summary>Guarded tables by name. Changed only under the guard's operation lock; read by the event thread.</summary>
    public ConcurrentDictionary<string, GuardedTable> Tables { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens the event socket first and the owning connection second, so that no change after the guard's first
    /// commit can go unseen. Throws <see cref="IsolationException"/> when the namespace cannot be entered.
    /// </summary>
    public static GuardedNamespace Open(
        string target,
        string? path,
        int monitorReceiveBufferBytes,
        Action<GuardedNamespace, IReadOnlyList<NfTablesEvent>, NfTablesEvent> onForeignCommit,
        Action<GuardedNamespace> onEventsLost,
        ILogger logger)
    {
        int errno = NetworkNamespaceIdentity.TryGetInode(path ?? "/proc/self/ns/net", out ulong inode);
        if (errno != 0)
        {
            throw IsolationException.From(IsolationOperation.Open, NetlinkConnection.OpenFailure(errno, path), null);
        }

        NfTablesMonitor monitor;
        try
        {
            monitor = NfTablesMonitor.Open(path, monitorReceiveBufferBytes);
        }
        catch (NetlinkException exception)
        {
            throw IsolationException.From(IsolationOperation.Open, exception, null);
        }

        HostIsolator owner;
        try
        {
            owner = HostIsolator.Open(path, logger);
        }
        catch
        {
            monitor.Dispose();
            throw;
        }

        var watched = new GuardedNamespace(target, inode, owner, monitor, onForeignCommit, onEventsLost, logger);
        watched._thread.UnsafeStart();
        return watched;
    }

    /// <summary>True while the namespace file still names the namespace that was opened.</summary>
    public bool StillExists() => NamespaceTarget.StillExists(Target, NamespaceInode);

    /// <summary>Asks the event thread to end; <see cref="Dispose"/> waits for it.</summary>
    public void SignalStop() => _stopping = true;

    private void Watch()
    {
        var events = new List<NfTablesEvent>();
        var foreign = new List<NfTablesEvent>();
        uint ownPort = Owner.PortId;
        while (!_stopping)
        {
            MonitorReadOutcome outcome;
            try
            {
                outcome = _monitor.Read(events, PollMilliseconds);
            }
            catch (Exception exception) when (exception is NetlinkException or NetlinkProtocolException)
            {
                GuardLogMessages.BackgroundFailure(_logger, "event reader for " + Target, exception.Message);
                events.Clear();
                foreign.Clear();
                Thread.Sleep(PollMilliseconds);
                continue;
            }

            if (outcome == MonitorReadOutcome.EventsLost)
            {
                events.Clear();
                foreign.Clear();
                Report(() => _onEventsLost(this));
                continue;
            }

            foreach (NfTablesEvent change in events)
            {
                if (change.IsCommitEnd)
                {
                    if (foreign.Count > 0)
                    {
                        NfTablesEvent[] changes = [.. foreign];
                        foreign.Clear();
                        Report(() => _onForeignCommit(this, changes, change));
                    }
                }
                else if (change.PortId != ownPort && change.Family == NfProtocolFamily.Inet && change.Table is { } table && Tables.ContainsKey(table))
                {
                    foreign.Add(change);
                }
            }

            events.Clear();
        }
    }

    private void Report(Action action)
    {
        try
        {
            action();
        }
#pragma warning disable CA1031 // The event thread must survive anything a reaction throws; the next event or pass retries.
        catch (Exception exception)
#pragma warning restore CA1031
        {
            GuardLogMessages.BackgroundFailure(_logger, "reaction to a change in " + Target, exception.Message);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _monitor.Dispose();
        Owner.Dispose();
    }
}
