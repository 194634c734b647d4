using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// What the guard decides and does to keep recorded intents in force, without its threads and locks: it applies and
/// restores intents through each namespace's owning connection (an intent whose namespace is gone is kept, reported
/// once, and not applied), re-commits a table another process changed, re-reads tables after lost events and on every
/// periodic pass and re-commits only those that differ from their intent, and follows the intent files as commands
/// acting without the guard add, change and remove them. <see cref="IsolationGuard"/> calls every member under the
/// state directory's lock and its operation lock. Not thread-safe.
/// </summary>
/// <param name="store">The state directory's intents.</param>
/// <param name="tableFlags">OWNER|PERSIST when the guard owns its tables, none in monitor mode.</param>
/// <param name="openNamespace">Opens a target, found at a path (null: this process's own namespace), to guard: its
/// owning connection and its event watch.</param>
/// <param name="logger">Where every decision is reported.</param>
internal sealed partial class GuardReconciler(IntentStore store, NftTableFlags tableFlags, Func<string, string?, GuardedNamespace> openNamespace, ILogger logger)
{
    private readonly IntentStore _store = store;
    private readonly NftTableFlags _tableFlags = tableFlags;
    private readonly Func<string, string?, GuardedNamespace> _openNamespace = openNamespace;
    private readonly ILogger _logger = logger;
    private readonly Dictionary<string, GuardedNamespace> _namespaces = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedMissing = new(StringComparer.Ordinal);

    /// <summary>True when the guard owns its tables (OWNER|PERSIST); false in monitor mode.</summary>
    public bool OwnsTables => _tableFlags != NftTableFlags.None;

    /// <summary>The targets currently watched.</summary>
    public IReadOnlyList<string> WatchedTargets
    {
        get
        {
            // Not a collection expression: over a dictionary's keys it compiles to Enumerable.ToArray.
            string[] targets = new string[_namespaces.Count];
            _namespaces.Keys.CopyTo(targets, 0);
            return targets;
        }
    }

    /// <summary>The port id that owns the tables of <paramref name="target"/>; null when the target is not watched.</summary>
    public uint? OwnerPortId(string target)
        => _namespaces.TryGetValue(target, out GuardedNamespace? watched) ? watched.Owner.PortId : null;

    /// <summary>True while <paramref name="watched"/> is the namespace watched for its target (not one since replaced or removed).</summary>
    public bool IsWatched(GuardedNamespace watched)
        => _namespaces.TryGetValue(watched.Target, out GuardedNamespace? current) && current == watched;

    /// <summary>Re-applies every recorded intent whose namespace exists (guard.md, restore) and guards it.</summary>
    public List<RestoreResult> RestoreAll()
    {
        var outcomes = new List<RestoreResult>();

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

        return outcomes;
    }

    /// <summary>Deletes the table in one transaction through the owning connection when the target is watched (else through a new one) and stops guarding it.</summary>
    public void Unisolate(string target, string table)
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
    }

    private RestoreResult RestoreLocked(IsolationIntent intent)
    {
        string filePath = _store.PathFor(intent.Target, intent.Table);

        // Asked first, as restore does: a /proc/PID target whose pid now names another namespace must not be applied.
        if (IsolationRestorer.NamespaceGone(intent) is { } gone)
        {
            ReportMissingOnce(intent, gone);
            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.SkippedNamespaceGone, gone, filePath);
        }

        try
        {
            Apply(intent, IsolateOptions.Default);
            _reportedMissing.Remove(KeyOf(intent));
            return AgentCgroupsMissing.ResultOf(intent, filePath);
        }
        catch (IsolationException exception) when (exception.Kind == IsolationErrorKind.NamespaceNotFound)
        {
            ReportMissingOnce(intent, exception.Message);
            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.SkippedNamespaceGone, exception.Message, filePath);
        }
        catch (IsolationException exception)
        {
            GuardLogMessages.IntentFailed(_logger, intent.Table, intent.Target, exception.Message);
            return new RestoreResult(intent.Target, intent.Table, RestoreOutcome.Failed, exception.Message, filePath);
        }
    }

    /// <summary>Reports that <paramref name="intent"/> is kept but not applied, once until it is applied again.</summary>
    private void ReportMissingOnce(IsolationIntent intent, string reason)
    {
        if (_reportedMissing.Add(KeyOf(intent)))
        {
            GuardLogMessages.NamespaceMissing(_logger, intent.Table, intent.Target, reason);
        }
    }

    /// <summary>Applies <paramref name="intent"/> through its namespace's owning connection and guards it from then on.</summary>
    public IsolationResult Apply(IsolationIntent intent, IsolateOptions options)
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

        watched = _openNamespace(target, location.Path);
        _namespaces[target] = watched;
        return watched;
    }

    /// <summary>Another process committed a change to a guarded table: re-commit its recorded ruleset.</summary>
    public void ForeignCommit(GuardedNamespace watched, IReadOnlyList<NfTablesEvent> changes, NfTablesEvent commit)
    {
        if (!IsWatched(watched))
        {
            return;
        }

        // Table by table, in the order each first changed.
        foreach (TableChanges changed in TableChanges.Of(changes))
        {
            if (CurrentTableLocked(watched, changed.Table) is not { } table)
            {
                continue;
            }

            long elapsed = Reassert(watched, table);
            if (elapsed >= 0)
            {
                GuardLogMessages.TamperReverted(_logger, changed.Table, watched.Target, changed.Described, commit.ProcessName ?? "an unknown process", commit.ProcessId ?? 0, commit.PortId, elapsed);
            }
        }
    }

    /// <summary>Events were dropped: whatever happened is unknown, so every guarded table there is re-read.</summary>
    public void EventsLost(GuardedNamespace watched)
    {
        if (!IsWatched(watched))
        {
            return;
        }

        foreach (string name in watched.Tables.Keys)
        {
            if (CurrentTableLocked(watched, name) is { } table)
            {
                VerifyTableLocked(watched, table, "events were lost");
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

    /// <summary>Namespaces whose file is gone (or names another namespace now) stop being watched; intents stay.</summary>
    public List<GuardedNamespace> RemoveVanishedNamespaces()
    {
        var gone = new List<GuardedNamespace>();
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

        return gone;
    }

    /// <summary>
    /// Re-reads the state directory and the kernel: new or changed intents are applied, removed ones unguarded, every
    /// guarded table compared with its intent and re-committed where it differs. Returns namespaces left with nothing
    /// to guard, for the caller to close outside the lock.
    /// </summary>
    public List<GuardedNamespace> Verify()
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

    /// <summary>Stops watching every namespace and returns them, for the caller to close outside the lock.</summary>
    public List<GuardedNamespace> RemoveAll()
    {
        // Not [.. _namespaces.Values], which compiles to Enumerable.ToList.
        var all = new List<GuardedNamespace>(_namespaces.Values);
        _namespaces.Clear();
        return all;
    }

    /// <summary>The same recording of an intent: a new isolate always records a new time.</summary>
    private static bool SameRecording(IsolationIntent a, IsolationIntent b)
        => a.Target == b.Target && a.Table == b.Table && a.IsolatedAt == b.IsolatedAt && a.IsolatedBy == b.IsolatedBy;

    private static string KeyOf(IsolationIntent intent) => KeyOf(intent.Target, intent.Table);

    private static string KeyOf(string target, string table) => target + "\0" + table;
}
