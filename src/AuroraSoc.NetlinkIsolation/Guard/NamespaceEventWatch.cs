using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// The event socket subscribed to NFNLGRP_NFTABLES in one guarded namespace and the thread that reads it: every commit
/// by another process to a guarded table (<see cref="ForeignCommitCollector"/>) and every loss of events (ENOBUFS) is
/// reported to the guard, from this thread.
/// </summary>
internal sealed class NamespaceEventWatch : IDisposable
{
    private const int PollMilliseconds = 250;

    private readonly GuardedNamespace _namespace;
    private readonly NfTablesMonitor _monitor;
    private readonly Action<GuardedNamespace, IReadOnlyList<NfTablesEvent>, NfTablesEvent> _onForeignCommit;
    private readonly Action<GuardedNamespace> _onEventsLost;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private NamespaceEventWatch(
        GuardedNamespace watched,
        NfTablesMonitor monitor,
        Action<GuardedNamespace, IReadOnlyList<NfTablesEvent>, NfTablesEvent> onForeignCommit,
        Action<GuardedNamespace> onEventsLost,
        ILogger logger)
    {
        _namespace = watched;
        _monitor = monitor;
        _onForeignCommit = onForeignCommit;
        _onEventsLost = onEventsLost;
        _logger = logger;
        _thread = new Thread(Watch) { IsBackground = true, Name = "AuroraSoc guard " + watched.Target };
    }

    private string Target => _namespace.Target;

    /// <summary>Starts reading <paramref name="monitor"/> (which the watch disposes) for <paramref name="watched"/>.</summary>
    public static NamespaceEventWatch Start(
        GuardedNamespace watched,
        NfTablesMonitor monitor,
        Action<GuardedNamespace, IReadOnlyList<NfTablesEvent>, NfTablesEvent> onForeignCommit,
        Action<GuardedNamespace> onEventsLost,
        ILogger logger)
    {
        var watch = new NamespaceEventWatch(watched, monitor, onForeignCommit, onEventsLost, logger);
        watch._thread.UnsafeStart();
        return watch;
    }

    /// <summary>Asks the event thread to end; <see cref="Dispose"/> waits for it.</summary>
    public void SignalStop() => _stopping = true;

    private void Watch()
    {
        var events = new List<NfTablesEvent>();
        var foreign = new ForeignCommitCollector(_namespace.Owner.PortId, _namespace.Tables.ContainsKey);
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
                foreign.Discard();
                Thread.Sleep(PollMilliseconds);
                continue;
            }

            if (outcome == MonitorReadOutcome.EventsLost)
            {
                events.Clear();
                foreign.Discard();
                Report(() => _onEventsLost(_namespace));
                continue;
            }

            foreach (NfTablesEvent change in events)
            {
                if (foreign.Add(change) is { } changes)
                {
                    Report(() => _onForeignCommit(_namespace, changes, change));
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

    /// <summary>Stops the event thread (unless called from it), then closes the event socket.</summary>
    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive && Thread.CurrentThread != _thread)
        {
            _thread.Join();
        }

        _monitor.Dispose();
    }
}
