using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>
/// Isolates and releases one namespace like <see cref="HostIsolator"/>, and keeps the recorded intent in step with the
/// kernel (guard.md, "Intent"): the intent is recorded before the commit and put back as it was when the commit fails
/// (or a collector verification rolled it back); it is forgotten after the table is deleted. Every change holds the
/// state directory's lock, so concurrent commands — threads or processes — leave intent and kernel agreeing. Without a
/// store (<c>--ephemeral</c>) nothing is recorded. While a guard serves the store's directory, isolate and unisolate
/// are handed to it with everything they carry (policy, reason, resolved names, options), and the result or failure
/// comes back as if acted here: the guard owns the tables, so acting here would meet EPERM. Does not own the
/// <see cref="HostIsolator"/>.
/// </summary>
public sealed partial class DurableIsolator
{
    private readonly HostIsolator _isolator;
    private readonly ILogger _logger;
    private string? _target;

    /// <param name="isolator">The namespace to act on; its <see cref="HostIsolator.NamespacePath"/> is the intent's target.</param>
    /// <param name="store">Where intents are recorded; null records nothing and reads no intent.</param>
    /// <param name="logger">Receives one event per recorded, reinstated or forgotten intent.</param>
    public DurableIsolator(HostIsolator isolator, IntentStore? store, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(isolator);
        _isolator = isolator;
        Store = store;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>The store intents go to; null when nothing is recorded.</summary>
    public IntentStore? Store { get; }

    /// <summary><see cref="IsolationIntent.HostTarget"/> or the namespace's absolute path.</summary>
    /// <remarks>
    /// Worked out on first use: naming the caller's own namespace reads PID 1's and lists <c>/run/netns</c>, which a
    /// command that records nothing (<c>--ephemeral</c>) never needs, least of all before its commit
    /// (docs/benchmarks.md, "Cold start").
    /// </remarks>
    /// <exception cref="IOException">The caller's own namespace cannot be identified.</exception>
    public string Target => _target ??= IsolationIntent.TargetOf(_isolator.NamespacePath);

    /// <summary>Records an intent for <paramref name="policy"/> (by this process, now) and commits it.</summary>
    /// <param name="policy">What the namespace may still reach, and why (<see cref="IsolationPolicy.Reason"/>).</param>
    /// <param name="options">Collector verification and cutting open connections; null for the defaults.</param>
    /// <param name="resolvedNames">The addresses each host name in the policy resolved to
    /// (<see cref="EndpointSpecification.ResolveNames"/>); recorded, so a restore needs no DNS.</param>
    /// <exception cref="IntentStoreException">The intent could not be recorded; the kernel was not touched.</exception>
    /// <exception cref="PolicyValidationException">The options cannot be honoured (verification without a collector
    /// port, a table a rollback could not restore); nothing changed.</exception>
    /// <exception cref="IsolationException">The commit failed, or no collector was reachable and the previous state was
    /// rolled back; the previous intent is back in place.</exception>
    public IsolationResult Isolate(IsolationPolicy policy, IsolateOptions? options = null, IReadOnlyDictionary<string, IReadOnlyList<string>>? resolvedNames = null)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (Store is null)
        {
            // Nothing is recorded, so no intent is made: naming the namespace and looking up the user's name (NSS, which
            // may ask a directory service) would only delay the commit.
            return IsolateUnrecorded(policy, options ?? IsolateOptions.Default);
        }

        return Apply(IsolationIntent.Create(_isolator.NamespacePath, policy, reason: null, resolvedNames), options);
    }

    /// <summary>Records <paramref name="intent"/> (whose target must be this namespace) and commits its policy.</summary>
    /// <inheritdoc cref="Isolate" path="/exception"/>
    public IsolationResult Apply(IsolationIntent intent, IsolateOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(intent);
        if (intent.Target != Target)
        {
            throw new ArgumentException($"the intent is for {intent.Target}, this isolator acts on {Target}", nameof(intent));
        }

        options ??= IsolateOptions.Default;
        if (Store is null)
        {
            return IsolateUnrecorded(intent.Policy, options);
        }

        ValidateOptions(intent.Policy, options);

        // Permission first, as the kernel judges it in the target: a caller without CAP_NET_ADMIN is told so before the
        // state directory is created, locked or written, and before a guard is asked to act for it.
        _ = DemandPermission(intent.Table);
        if (GuardClient.TryConnect(Store.Directory) is { } guard)
        {
            using (guard)
            {
                // Closed before the guard commits: closed after it, the unused socket would wait for the guard's commit.
                _isolator.ReleaseConnection();
                return guard.Isolate(intent, options, callerNamespace: _isolator.NamespacePath is null);
            }
        }

        using IntentLock held = Store.AcquireLock();
        byte[]? previous = Store.ReadBytes(intent.Target, intent.Table);
        Store.Record(intent);
        DurableLogMessages.IntentRecorded(_logger, intent.Target, intent.Table, Store.Directory);
        try
        {
            return _isolator.Isolate(intent.Policy, options);
        }
        catch (Exception exception) when (LeavesPreviousState(exception))
        {
            PutBack(intent.Target, intent.Table, previous);
            throw;
        }
    }

    private IsolationResult IsolateUnrecorded(IsolationPolicy policy, IsolateOptions options)
    {
        ValidateOptions(policy, options);
        return _isolator.Isolate(policy, options);
    }

    /// <summary>Refuses options the policy cannot honour before anything is recorded, handed over or committed.</summary>
    private static void ValidateOptions(IsolationPolicy policy, IsolateOptions options)
    {
        if (options.VerifyCollectors)
        {
            CollectorVerification.Validate(policy, options.VerifyTimeout);
        }
    }

    /// <summary>Deletes the table, then forgets its intent. Succeeds and changes nothing when neither exists.</summary>
    /// <returns>
    /// Whether the table was present: the answer of the one GETTABLE probe every unisolate makes first (it is also the
    /// permission check), so a caller that reports "deleted" or "was not isolated" needs no second round trip.
    /// </returns>
    /// <exception cref="IsolationException">The table could not be deleted; the intent is kept.</exception>
    /// <exception cref="IntentStoreException">The table is gone but the intent file could not be removed.</exception>
    public bool Unisolate(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationPolicy.ValidateTableName(tableName);
        bool wasPresent = DemandPermission(tableName);
        if (Store is null)
        {
            _isolator.Unisolate(tableName);
            return wasPresent;
        }

        BlockedTraffic? final = ReadReportBeforeUnisolate(tableName);
        if (GuardClient.TryConnect(Store.Directory) is { } guard)
        {
            using (guard)
            {
                _isolator.ReleaseConnection();
                guard.Unisolate(Target, tableName, callerNamespace: _isolator.NamespacePath is null);
                SaveFinalReport(tableName, final);
                return wasPresent;
            }
        }

        using IntentLock held = Store.AcquireLock();
        _isolator.Unisolate(tableName);
        SaveFinalReport(tableName, final);
        if (Store.Forget(Target, tableName))
        {
            DurableLogMessages.IntentForgotten(_logger, Target, tableName);
        }

        return wasPresent;
    }

    /// <summary>
    /// One GETTABLE probe in the target (every nfnetlink request, reads included, needs CAP_NET_ADMIN there): throws
    /// <see cref="IsolationException"/> with <see cref="IsolationErrorKind.PermissionDenied"/> naming it when refused.
    /// Returns whether the table exists.
    /// </summary>
    private bool DemandPermission(string tableName) => _isolator.IsIsolated(tableName);

    /// <summary>
    /// True when a failed isolate left the namespace as it was, so the previous intent belongs back: every failure but
    /// a collector verification whose rollback failed, after which the new ruleset (and so its intent) is in force.
    /// </summary>
    internal static bool LeavesPreviousState(Exception exception)
        => exception is not IsolationException { Kind: IsolationErrorKind.CollectorUnreachable, RolledBack: false };

    /// <summary>The kernel's state of the table next to the intent recorded for it.</summary>
    /// <exception cref="IsolationException">The kernel could not be read.</exception>
    public DurableIsolationStatus GetStatus(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationStatus kernel = _isolator.GetStatus(tableName);
        if (Store is null)
        {
            return new DurableIsolationStatus(kernel, null, null);
        }

        // No lock: intent files are replaced by rename, so a reader sees a whole intent, and status must not wait
        // behind a long restore.
        try
        {
            return new DurableIsolationStatus(kernel, Store.Read(Target, tableName), null);
        }
        catch (IntentCorruptException exception)
        {
            return new DurableIsolationStatus(kernel, null, exception.Message);
        }
        catch (IntentStoreException exception)
        {
            return new DurableIsolationStatus(kernel, null, exception.Message);
        }
    }

    private void PutBack(string target, string table, byte[]? previous)
    {
        try
        {
            Store!.Reinstate(target, table, previous);
            DurableLogMessages.IntentReinstated(_logger, target, table, previous is null ? "no intent" : "the previous intent");
        }
        catch (IntentStoreException exception)
        {
            // The commit failure is what the caller must see; this one is logged, and the next restore reports the file.
            DurableLogMessages.IntentReinstateFailed(_logger, target, table, exception.Message);
        }
    }
}
