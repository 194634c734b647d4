using System.Collections.Concurrent;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// One watched network namespace: the owning connection every change of the guard goes through (its port id owns the
/// tables), the tables guarded there, and — once <see cref="Open"/> has started it — the <see cref="NamespaceEventWatch"/>
/// that reports every commit by another process to a guarded table.
/// </summary>
internal sealed class GuardedNamespace : IDisposable
{
    private NamespaceEventWatch? _events;

    /// <summary>
    /// A namespace guarded through <paramref name="owner"/> (which it disposes); nobody watches its events until
    /// <see cref="Open"/> starts a <see cref="NamespaceEventWatch"/>, so the guard's decisions can be tried on a fake kernel.
    /// </summary>
    internal GuardedNamespace(string target, ulong namespaceInode, HostIsolator owner)
    {
        Target = target;
        NamespaceInode = namespaceInode;
        Owner = owner;
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

        var watched = new GuardedNamespace(target, inode, owner);
        watched._events = NamespaceEventWatch.Start(watched, monitor, onForeignCommit, onEventsLost, logger);
        return watched;
    }

    /// <summary>True while the namespace file still names the namespace that was opened.</summary>
    public bool StillExists() => NamespaceTarget.StillExists(Target, NamespaceInode);

    /// <summary>Asks the event thread to end; <see cref="Dispose"/> waits for it.</summary>
    public void SignalStop() => _events?.SignalStop();

    public void Dispose()
    {
        _events?.Dispose();
        Owner.Dispose();
    }
}
