using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// Keeps every isolation recorded in a state directory in force (guard.md). On start it applies every intent and,
/// where the kernel keeps owned tables after their owner exits (NFT_TABLE_F_PERSIST), owns each table
/// (NFT_TABLE_F_OWNER | PERSIST): then no other process can change or delete it. It watches NFNLGRP_NFTABLES in every
/// target namespace and answers any change to a guarded table by another process with one transaction re-committing
/// the recorded ruleset; lost events and a periodic re-read are backstops. Commands hand their changes to it over a
/// Unix socket in the state directory (<see cref="DurableIsolator"/> and <see cref="IsolationRestorer"/> hand over). Thread-safe. Disposing stops guarding and never
/// un-isolates: owned tables stay as orphans (PERSIST) for the next guard to adopt.
/// </summary>
public sealed class IsolationGuard : IDisposable, IHandoffOperations
{
    private readonly IsolationGuardOptions _options;
    private readonly ILogger _logger;
    private readonly IntentStore _store;

    // Every change to the kernel or to what is guarded happens under the state directory's lock (taken first: it also
    // serialises against commands acting without the guard) and then this one.
    private readonly Lock _operations = new();
    private readonly GuardReconciler _reconciler;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _supervisor;
    private GuardHandoffServer? _server;
    private AgentCgroupWatch? _agentCgroups;
    private int _disposed;

    private IsolationGuard(IsolationGuardOptions options, ILogger logger, TablePersistence persistence)
    {
        _options = options;
        _logger = logger;
        _store = new IntentStore(options.StateDirectory);
        Persistence = persistence;
        NftTableFlags tableFlags = !options.MonitorOnly && persistence == TablePersistence.Supported ? NftTableFlags.Owner | NftTableFlags.Persist : NftTableFlags.None;
        _supervisor = new Thread(Supervise) { IsBackground = true, Name = "AuroraSoc guard supervisor" };
        _reconciler = new GuardReconciler(
            _store,
            tableFlags,
            (target, path) => GuardedNamespace.Open(target, path, options.MonitorReceiveBufferBytes, OnForeignCommit, OnEventsLost, logger),
            logger);
    }

    /// <summary>What the kernel does with PERSIST, as probed at start.</summary>
    internal TablePersistence Persistence { get; }

    /// <summary>True when the guard owns its tables (OWNER|PERSIST); false in monitor mode.</summary>
    public bool OwnsTables => _reconciler.OwnsTables;

    /// <summary>The state directory guarded.</summary>
    public string StateDirectory => _store.Directory;

    /// <summary>The hand-over socket, <c>DIR/guard.sock</c>.</summary>
    internal string SocketPath => GuardClient.SocketPathFor(_store.Directory);

    /// <summary>What happened to each intent at start.</summary>
    public IReadOnlyList<RestoreResult> StartOutcomes { get; private set; } = [];

    /// <summary>
    /// Starts guarding <see cref="IsolationGuardOptions.StateDirectory"/>: probes PERSIST, serves the hand-over socket,
    /// applies every intent whose namespace exists and watches every target. Returns once every intent that can be is
    /// in force.
    /// </summary>
    /// <exception cref="IsolationException">Another guard serves the directory or its socket cannot be created (<see cref="IsolationErrorKind.GuardUnavailable"/>), or a namespace cannot be opened.</exception>
    /// <exception cref="IntentStoreException">The state directory cannot be used.</exception>
    public static IsolationGuard Start(IsolationGuardOptions options, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.StateDirectory);
        if (options.VerifyInterval <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.VerifyInterval, "the verify interval must be positive");
        }

        // A copy: the caller (or a configuration binder) may change its instance while the guard runs.
        options = new IsolationGuardOptions
        {
            StateDirectory = options.StateDirectory,
            MonitorOnly = options.MonitorOnly,
            VerifyInterval = options.VerifyInterval,
            MonitorReceiveBufferBytes = options.MonitorReceiveBufferBytes,
            NamespaceCheckInterval = options.NamespaceCheckInterval,
        };

        logger ??= NullLogger.Instance;
        TablePersistence persistence = TablePersistenceProbe.Run(out string evidence);
        string persistenceName = persistence.ToString();
        GuardLogMessages.PersistenceProbed(logger, persistenceName, evidence);
        if (!options.MonitorOnly && persistence != TablePersistence.Supported)
        {
            GuardLogMessages.OwnershipUnavailable(logger, evidence);
        }

        var guard = new IsolationGuard(options, logger, persistence);
        try
        {
            // Served before taking ownership: a command that finds no guard acts itself, which it could not do on a
            // table the guard already owns.
            // Under the directory's lock, so that two guards starting at once cannot both take the socket.
            using (guard._store.AcquireLock())
            {
                guard._server = GuardHandoffServer.Start(guard, logger);
            }

            IReadOnlyList<RestoreResult> outcomes = guard.Restore();
            guard.StartOutcomes = outcomes;
            guard._supervisor.UnsafeStart();
            guard._agentCgroups = AgentCgroupWatch.Start(guard.AgentCgroupDirectories, guard.OnAgentCgroupChanged, logger);
            int restored = 0;
            int skipped = 0;
            foreach (RestoreResult outcome in outcomes)
            {
                restored += outcome.Outcome is RestoreOutcome.Restored or RestoreOutcome.Degraded ? 1 : 0;
                skipped += outcome.Outcome == RestoreOutcome.SkippedNamespaceGone ? 1 : 0;
            }

            int failed = outcomes.Count - restored - skipped;
            GuardLogMessages.Started(logger, guard.StateDirectory, guard.OwnsTables ? "owning tables (OWNER|PERSIST)" : "watching tables (monitor mode)", restored, skipped, failed);
            return guard;
        }
        catch
        {
            guard.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Records <paramref name="intent"/> and applies it in one transaction through the owning connection, with
    /// <paramref name="options"/> as <see cref="HostIsolator.Isolate(IsolationPolicy, IsolateOptions)"/> applies them;
    /// on failure the previous intent is put back (unless a failed rollback left the new ruleset in force) and the
    /// exception says which state the namespace is in.
    /// </summary>
    public IsolationResult Isolate(IsolationIntent intent, IsolateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        ThrowIfDisposed();
        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            byte[]? previous = _store.ReadBytes(intent.Target, intent.Table);
            _store.Record(intent);
            try
            {
                return _reconciler.Apply(intent, options ?? IsolateOptions.Default);
            }
            catch (Exception exception) when (DurableIsolator.LeavesPreviousState(exception))
            {
                _store.Reinstate(intent.Target, intent.Table, previous);
                throw;
            }
        }
    }

    /// <summary>Deletes the table in one transaction, then forgets its intent; succeeds when not isolated.</summary>
    public void Unisolate(string target, string table)
    {
        ArgumentException.ThrowIfNullOrEmpty(target);
        IsolationPolicy.ValidateTableName(table);
        ThrowIfDisposed();
        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            _reconciler.Unisolate(target, table);
            _store.Forget(target, table);
        }
    }

    /// <summary>Re-applies every recorded intent whose namespace exists (guard.md, restore) and guards it.</summary>
    public IReadOnlyList<RestoreResult> Restore()
    {
        ThrowIfDisposed();
        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            return _reconciler.RestoreAll();
        }
    }

    /// <summary>One verification pass now (what runs every <see cref="IsolationGuardOptions.VerifyInterval"/>).</summary>
    internal void VerifyNow()
    {
        List<GuardedNamespace> idle = VerifyPass();
        DisposeAll(idle);
    }

    /// <summary>The targets currently watched.</summary>
    internal IReadOnlyList<string> WatchedTargets
    {
        get
        {
            lock (_operations)
            {
                return _reconciler.WatchedTargets;
            }
        }
    }

    /// <summary>The port id that owns the tables of <paramref name="target"/>; null when the target is not watched.</summary>
    internal uint? OwnerPortId(string target)
    {
        lock (_operations)
        {
            return _reconciler.OwnerPortId(target);
        }
    }

    /// <summary>Another process committed a change to a guarded table: re-commit its recorded ruleset.</summary>
    private void OnForeignCommit(GuardedNamespace watched, IReadOnlyList<NfTablesEvent> changes, NfTablesEvent commit)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            _reconciler.ForeignCommit(watched, changes, commit);
        }
    }

    /// <summary>Events were dropped: whatever happened is unknown, so every guarded table there is re-read.</summary>
    private void OnEventsLost(GuardedNamespace watched)
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        GuardLogMessages.EventsLost(_logger, watched.Target);
        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            _reconciler.EventsLost(watched);
        }
    }

    /// <summary>The directories of the agent cgroups the guarded tables record, read under the guard's lock.</summary>
    private List<string> AgentCgroupDirectories()
    {
        lock (_operations)
        {
            return _reconciler.AgentCgroupDirectories();
        }
    }

    /// <summary>Something changed beside a recorded agent cgroup: re-resolve, and re-commit the tables whose cgroup came back.</summary>
    private void OnAgentCgroupChanged()
    {
        if (Volatile.Read(ref _disposed) != 0)
        {
            return;
        }

        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            _reconciler.RefreshAgentCgroups();
        }
    }

    private void Supervise()
    {
        long nextVerify = Stopwatch.GetTimestamp() + (long)(_options.VerifyInterval.TotalSeconds * Stopwatch.Frequency);
        TimeSpan tick = _options.NamespaceCheckInterval < _options.VerifyInterval ? _options.NamespaceCheckInterval : _options.VerifyInterval;
        while (!_stop.Wait(tick))
        {
            try
            {
                DisposeAll(RemoveVanishedNamespaces());
                if (Stopwatch.GetTimestamp() >= nextVerify)
                {
                    DisposeAll(VerifyPass());
                    nextVerify = Stopwatch.GetTimestamp() + (long)(_options.VerifyInterval.TotalSeconds * Stopwatch.Frequency);
                }
            }
#pragma warning disable CA1031 // The supervisor must outlive any one failed pass; the next pass retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                GuardLogMessages.BackgroundFailure(_logger, "periodic verification", exception.Message);
            }
        }
    }

    /// <summary>Namespaces whose file is gone (or names another namespace now) stop being watched; intents stay.</summary>
    private List<GuardedNamespace> RemoveVanishedNamespaces()
    {
        lock (_operations)
        {
            return _reconciler.RemoveVanishedNamespaces();
        }
    }

    /// <summary>
    /// Re-reads the state directory and the kernel: new or changed intents are applied, removed ones unguarded, every
    /// guarded table compared with its intent and re-committed where it differs. Returns namespaces left with nothing
    /// to guard, for the caller to close outside the lock.
    /// </summary>
    private List<GuardedNamespace> VerifyPass()
    {
        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            _reconciler.RefreshAgentCgroups(); // the backstop, should an inotify event have been missed
            return _reconciler.Verify();
        }
    }

    private static void DisposeAll(List<GuardedNamespace> namespaces)
    {
        foreach (GuardedNamespace watched in namespaces)
        {
            watched.Dispose();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

    /// <summary>Stops guarding. Never un-isolates: owned tables become orphans that keep isolating (PERSIST).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Set();
        if (_supervisor.IsAlive)
        {
            _supervisor.Join();
        }

        _agentCgroups?.Dispose();
        _server?.Dispose();
        List<GuardedNamespace> all;
        lock (_operations)
        {
            all = _reconciler.RemoveAll();
        }

        foreach (GuardedNamespace watched in all)
        {
            watched.SignalStop();
        }

        DisposeAll(all);
        _stop.Dispose();
        GuardLogMessages.Stopped(_logger);
    }
}
