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
    private readonly NftTableFlags _tableFlags;

    // Every change to the kernel or to what is guarded happens under the state directory's lock (taken first: it also
    // serialises against commands acting without the guard) and then this one.
    private readonly Lock _operations = new();
    private readonly Dictionary<string, GuardedNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedMissing = new(StringComparer.Ordinal);
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _supervisor;
    private GuardHandoffServer? _server;
    private int _disposed;

    private IsolationGuard(IsolationGuardOptions options, ILogger logger, TablePersistence persistence)
    {
        _options = options;
        _logger = logger;
        _store = new IntentStore(options.StateDirectory);
        Persistence = persistence;
        _tableFlags = !options.MonitorOnly && persistence == TablePersistence.Supported ? NftTableFlags.Owner | NftTableFlags.Persist : NftTableFlags.None;
        _supervisor = new Thread(Supervise) { IsBackground = true, Name = "AuroraSoc guard supervisor" };
    }

    /// <summary>What the kernel does with PERSIST, as probed at start.</summary>
    internal TablePersistence Persistence { get; }

    /// <summary>True when the guard owns its tables (OWNER|PERSIST); false in monitor mode.</summary>
    public bool OwnsTables => _tableFlags != NftTableFlags.None;

    /// <summary>The state directory guarded.</summary>
    public string StateDirectory => _store.Directory;

    /// <summary>The hand-over socket, <c>DIR/guard.sock</c>.</summary>
    public string SocketPath => GuardClient.SocketPathFor(_store.Directory);

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
            int restored = 0;
            int skipped = 0;
            foreach (RestoreResult outcome in outcomes)
            {
                restored += outcome.Outcome == RestoreOutcome.Restored ? 1 : 0;
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
                return ApplyLocked(intent, options ?? IsolateOptions.Default);
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
            if (_namespaces.TryGetValue(target, out GuardedNamespace? watched))
            {
                watched.Owner.Unisolate(table);
                watched.Tables.TryRemove(table, out _);
            }
            else
            {
                NamespaceLocation location = NamespaceTarget.Locate(target, null);
                if (location.Gone is { } gone)
                {
                    throw IsolationException.NamespaceGone(IsolationOperation.Unisolate, gone);
                }

                using HostIsolator isolator = HostIsolator.Open(location.Path, _logger);
                isolator.Unisolate(table);
            }

            _store.Forget(target, table);
        }
    }

    /// <summary>Re-applies every recorded intent whose namespace exists (guard.md, restore) and guards it.</summary>
    public IReadOnlyList<RestoreResult> Restore()
    {
        ThrowIfDisposed();
        var outcomes = new List<RestoreResult>();
        using IntentLock held = _store.AcquireLock();
        lock (_operations)
        {
            foreach (IntentEntry entry in _store.ReadAll())
            {
                if (entry.Intent is not { } intent)
                {
                    GuardLogMessages.IntentUnreadable(_logger, entry.FilePath, entry.Error ?? "unreadable");
                    outcomes.Add(new RestoreResult(entry.FilePath, null, RestoreOutcome.Failed, entry.Error, entry.FilePath));
                    continue;
                }

                outcomes.Add(RestoreLocked(intent));
            }
        }

        return outcomes;
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
                // Not a collection expression: over a dictionary's keys it compiles to Enumerable.ToArray.
                string[] targets = new string[_namespaces.Count];
                _namespaces.Keys.CopyTo(targets, 0);
                return targets;
            }
        }
    }

    /// <summary>The port id that owns the tables of <paramref name="target"/>; null when the target is not watched.</summary>
    internal uint? OwnerPortId(string target)
    {
        lock (_operations)
        {
            return _namespaces.TryGetValue(target, out GuardedNamespace? watched) ? watched.Owner.PortId : null;
        }
    }

    private RestoreResult RestoreLocked(IsolationIntent intent)
    {
        string filePath = _store.PathFor(intent.Target, intent.Table);

        // Asked first, as restore does: a /proc/PID target whose pid now names another namespace must not be applied.
        if (IsolationRestorer.NamespaceGone(intent) is { } gone)
        {
            if (_reportedMissing.Add(KeyOf(intent)))
            {
                GuardLogMessages.NamespaceMissing(_logger, intent.Table, intent.Target, gone);
            }

            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.SkippedNamespaceGone, gone, filePath);
        }

        try
        {
            ApplyLocked(intent, IsolateOptions.Default);
            _reportedMissing.Remove(KeyOf(intent));
            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.Restored, null, filePath);
        }
        catch (IsolationException exception) when (exception.Kind == IsolationErrorKind.NamespaceNotFound)
        {
            if (_reportedMissing.Add(KeyOf(intent)))
            {
                GuardLogMessages.NamespaceMissing(_logger, intent.Table, intent.Target, exception.Message);
            }

            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.SkippedNamespaceGone, exception.Message, filePath);
        }
        catch (IsolationException exception)
        {
            GuardLogMessages.IntentFailed(_logger, intent.Table, intent.Target, exception.Message);
            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.Failed, exception.Message, filePath);
        }
    }

    /// <summary>Applies <paramref name="intent"/> through its namespace's owning connection and guards it from then on.</summary>
    private IsolationResult ApplyLocked(IsolationIntent intent, IsolateOptions options)
    {
        GuardedNamespace watched = WatchLocked(intent);
        var table = new GuardedTable(intent, _tableFlags);
        IsolationResult result = watched.Owner.Isolate(table.Ruleset, options);
        bool isNew = !watched.Tables.ContainsKey(intent.Table);
        watched.Tables[intent.Table] = table;
        if (isNew)
        {
            GuardLogMessages.Guarding(_logger, intent.Table, intent.Target, table.Ruleset.Rules.Count, OwnsTables ? "owned" : "watched");
        }

        return result;
    }

    private GuardedNamespace WatchLocked(IsolationIntent intent)
    {
        string target = intent.Target;
        if (_namespaces.TryGetValue(target, out GuardedNamespace? watched))
        {
            return watched;
        }

        // Only the namespace the intent names (a host intent only from PID 1's namespace): never the guard's own by default.
        NamespaceLocation location = NamespaceTarget.Locate(intent);
        if (location.Gone is { } gone)
        {
            throw IsolationException.NamespaceGone(IsolationOperation.Open, gone);
        }

        watched = GuardedNamespace.Open(target, location.Path, _options.MonitorReceiveBufferBytes, OnForeignCommit, OnEventsLost, _logger);
        _namespaces[target] = watched;
        return watched;
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
            if (!_namespaces.TryGetValue(watched.Target, out GuardedNamespace? current) || current != watched)
            {
                return;
            }

            // Table by table, in the order each first changed; events without a table concern none.
            var tables = new List<string>();
            foreach (NfTablesEvent change in changes)
            {
                if (change.Table is { } changed && !tables.Contains(changed))
                {
                    tables.Add(changed);
                }
            }

            foreach (string name in tables)
            {
                if (CurrentTableLocked(watched, name) is not { } table)
                {
                    continue;
                }

                var descriptions = new List<string>();
                foreach (NfTablesEvent change in changes)
                {
                    if (change.Table != name)
                    {
                        continue;
                    }

                    string description = change.Describe();
                    if (!descriptions.Contains(description))
                    {
                        descriptions.Add(description);
                    }
                }

                string described = string.Join(", ", descriptions);
                long elapsed = Reassert(watched, table);
                if (elapsed >= 0)
                {
                    GuardLogMessages.TamperReverted(_logger, name, watched.Target, described, commit.ProcessName ?? "an unknown process", commit.ProcessId ?? 0, commit.PortId, elapsed);
                }
            }
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
            if (_namespaces.TryGetValue(watched.Target, out GuardedNamespace? current) && current == watched)
            {
                foreach (string name in watched.Tables.Keys)
                {
                    if (CurrentTableLocked(watched, name) is { } table)
                    {
                        VerifyTableLocked(watched, table, "events were lost");
                    }
                }
            }
        }
    }

    /// <summary>
    /// The guarded table as its intent file now says — a command acting without the guard may have changed or removed
    /// it; null (and no longer guarded) when the intent is gone.
    /// </summary>
    private GuardedTable? CurrentTableLocked(GuardedNamespace watched, string name)
    {
        if (!watched.Tables.TryGetValue(name, out GuardedTable? table))
        {
            return null;
        }

        // Unchanged since the guard last read it (writers rename a new file in, under the lock held here): as recorded.
        IntentFileStamp? stamp = IntentFileStamp.Of(_store.PathFor(watched.Target, name));
        if (stamp is not null && stamp == table.ReadFrom)
        {
            return table;
        }

        IsolationIntent? intent;
        try
        {
            intent = _store.Read(watched.Target, name);
        }
        catch (Exception exception) when (exception is IntentCorruptException or IntentStoreException)
        {
            GuardLogMessages.IntentUnreadable(_logger, _store.PathFor(watched.Target, name), exception.Message);
            return table; // keep what was recorded before the file went bad
        }

        if (intent is null)
        {
            watched.Tables.TryRemove(name, out _);
            GuardLogMessages.Unguarded(_logger, name, watched.Target);
            return null;
        }

        if (!SameRecording(intent, table.Intent))
        {
            table = new GuardedTable(intent, _tableFlags);
            watched.Tables[name] = table;
        }

        table.ReadFrom = stamp;
        return table;
    }

    /// <summary>Re-reads one table and re-commits it when it differs from its intent.</summary>
    private void VerifyTableLocked(GuardedNamespace watched, GuardedTable table, string reason)
    {
        string? difference;
        try
        {
            IsolationStatus status = watched.Owner.GetStatus(table.Name);
            difference = status.Table is { } snapshot ? table.Ruleset.DescribeDifference(snapshot, watched.Owner.PortId) : "table is missing";
        }
        catch (IsolationException exception)
        {
            GuardLogMessages.ReassertFailed(_logger, table.Name, watched.Target, exception.Message);
            return;
        }

        if (difference is not null)
        {
            long elapsed = Reassert(watched, table);
            if (elapsed >= 0)
            {
                GuardLogMessages.DriftReverted(_logger, table.Name, watched.Target, reason, difference, elapsed);
            }
        }
    }

    /// <summary>Re-commits the recorded ruleset; returns the microseconds it took, or -1 when it failed (logged).</summary>
    private long Reassert(GuardedNamespace watched, GuardedTable table)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            watched.Owner.Isolate(table.Ruleset);
            return (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;
        }
        catch (IsolationException exception)
        {
            GuardLogMessages.ReassertFailed(_logger, table.Name, watched.Target, exception.Message);
            return -1;
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
        var gone = new List<GuardedNamespace>();
        lock (_operations)
        {
            foreach (GuardedNamespace watched in _namespaces.Values)
            {
                if (!watched.StillExists())
                {
                    gone.Add(watched);
                }
            }

            foreach (GuardedNamespace watched in gone)
            {
                _namespaces.Remove(watched.Target);
                watched.SignalStop();
                GuardLogMessages.NamespaceGone(_logger, watched.Target);
            }
        }

        return gone;
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
            var recorded = new HashSet<string>(StringComparer.Ordinal);
            foreach (IntentEntry entry in _store.ReadAll())
            {
                if (entry.Intent is not { } intent)
                {
                    GuardLogMessages.IntentUnreadable(_logger, entry.FilePath, entry.Error ?? "unreadable");
                    continue;
                }

                recorded.Add(KeyOf(intent));
                if (_namespaces.TryGetValue(intent.Target, out GuardedNamespace? watched)
                    && watched.Tables.TryGetValue(intent.Table, out GuardedTable? table)
                    && SameRecording(intent, table.Intent))
                {
                    VerifyTableLocked(watched, table, "periodic verification");
                }
                else
                {
                    RestoreLocked(intent);
                }
            }

            var idle = new List<GuardedNamespace>();
            foreach (GuardedNamespace watched in _namespaces.Values)
            {
                foreach (string name in watched.Tables.Keys)
                {
                    if (!recorded.Contains(KeyOf(watched.Target, name)))
                    {
                        watched.Tables.TryRemove(name, out _);
                        GuardLogMessages.Unguarded(_logger, name, watched.Target);
                    }
                }

                if (watched.Tables.IsEmpty)
                {
                    idle.Add(watched);
                }
            }

            foreach (GuardedNamespace watched in idle)
            {
                _namespaces.Remove(watched.Target);
                watched.SignalStop();
            }

            return idle;
        }
    }

    private static void DisposeAll(List<GuardedNamespace> namespaces)
    {
        foreach (GuardedNamespace watched in namespaces)
        {
            watched.Dispose();
        }
    }

    /// <summary>The same recording of an intent: a new isolate always records a new time.</summary>
    private static bool SameRecording(IsolationIntent a, IsolationIntent b)
        => a.Target == b.Target && a.Table == b.Table && a.IsolatedAt == b.IsolatedAt && a.IsolatedBy == b.IsolatedBy;

    private static string KeyOf(IsolationIntent intent) => KeyOf(intent.Target, intent.Table);

    private static string KeyOf(string target, string table) => target + "\0" + table;

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

        _server?.Dispose();
        List<GuardedNamespace> all;
        lock (_operations)
        {
            // Not [.. _namespaces.Values], which compiles to Enumerable.ToList.
            all = new List<GuardedNamespace>(_namespaces.Values);
            _namespaces.Clear();
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
