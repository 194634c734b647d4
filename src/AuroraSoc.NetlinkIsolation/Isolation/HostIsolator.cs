using System.Diagnostics;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Isolates one network namespace — this process's, or the one at a namespace path — with the ruleset of
/// docs/ruleset.md, releases it, and reports its state. Every change is one nf_tables transaction. Calls are
/// synchronous (each is a few microseconds of kernel work) and thread-safe: they are serialised on one socket.
/// </summary>
public sealed partial class HostIsolator : IDisposable
{
    // Null only between ReleaseConnection and the next kernel call, which opens a new socket (Connection).
    private NfTablesConnection? _connection;
    private readonly NetlinkConnectionOptions? _reopenOptions;
    private readonly NfTablesBatch _batch = new(); // grows to the largest batch on first use
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private IsolationPolicy? _cachedPolicy;
    private IsolationRuleset? _cachedRuleset;

    internal HostIsolator(NfTablesConnection connection, string? namespacePath, ILogger? logger, NetlinkConnectionOptions? reopenOptions = null)
    {
        _connection = connection;
        _reopenOptions = reopenOptions;
        NamespacePath = namespacePath;
        _namespaceLabel = namespacePath ?? "current namespace";
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>
    /// Opens a netfilter netlink socket for the current network namespace, or for the one at
    /// <paramref name="namespacePath"/> (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>).
    /// </summary>
    /// <exception cref="IsolationException">Permission denied, nf_tables unavailable, namespace not found or not a namespace.</exception>
    public static HostIsolator Open(string? namespacePath = null, ILogger? logger = null)
        => Open(namespacePath, logger, NetlinkConnectionOptions.Default);

    /// <summary>As <see cref="Open(string?, ILogger?)"/> with the engine's bounds (tests shorten the waits).</summary>
    internal static HostIsolator Open(string? namespacePath, ILogger? logger, NetlinkConnectionOptions options)
    {
        try
        {
            return new HostIsolator(NfTablesConnection.Open(namespacePath, options), namespacePath, logger, options);
        }
        catch (NetlinkException exception)
        {
            throw IsolationException.From(IsolationOperation.Open, exception, null);
        }
    }

    /// <summary>Wraps an existing connection (tests run the engine on a fake socket through this).</summary>
    internal static HostIsolator Create(NfTablesConnection connection, string? namespacePath = null, ILogger? logger = null)
        => new(connection, namespacePath, logger);

    /// <summary>The port id of this isolator's socket: the owner of every table it creates with NFT_TABLE_F_OWNER.</summary>
    internal uint PortId => Connection.PortId;

    /// <summary>The namespace path given at open, or null for the process's own namespace.</summary>
    public string? NamespacePath { get; }

    private readonly string _namespaceLabel;

    private string NamespaceLabel => _namespaceLabel;

    /// <summary>
    /// Installs (or atomically replaces) the isolation table for <paramref name="policy"/> in one transaction, and in
    /// strict mode cuts the open connections the policy does not allow. Idempotent. On failure nothing changed; the
    /// exception says which state the namespace is in.
    /// </summary>
    public IsolationResult Isolate(IsolationPolicy policy) => Isolate(policy, IsolateOptions.Default);

    /// <summary>Installs a prepared ruleset; tests use it to push a batch the kernel rejects through the real path.</summary>
    internal IsolationResult Isolate(IsolationRuleset ruleset)
    {
        lock (_gate)
        {
            return IsolateLocked(ruleset);
        }
    }

    /// <param name="ruleset">What to install.</param>
    /// <param name="tableExists">Whether the table exists, when the caller has just read it; null to probe.</param>
    private IsolationResult IsolateLocked(IsolationRuleset ruleset, bool? tableExists = null)
    {
        string tableName = ruleset.Policy.TableName;
        long started = Stopwatch.GetTimestamp();
        try
        {
            // Known from a GETTABLE probe, never from an EXCL batch's EEXIST: an aborted batch waits for an RCU grace
            // period as a deleting commit's release does (docs/adr/0006-additions-only-first-isolate.md).
            bool exists = tableExists ?? Probe(tableName);
            if (exists)
            {
                ruleset = CarryEvidenceOver(ruleset);
            }

            if (exists || !TryCommitFirstIsolate(ruleset))
            {
                ruleset.WriteIsolateBatch(_batch, Connection.ReserveSequences(ruleset.IsolateMessageCount));
                Connection.Commit(_batch);
            }
        }
        catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.OutcomeUnknown)
        {
            // The kernel may have committed: look at what is there instead of guessing.
            IsolationStatus? after = TryStatus(tableName);
            bool applied = after is { State: IsolationState.Isolated, Table: { } snapshot } && Matches(snapshot, ruleset);
            LogMessages.OutcomeReprobed(_logger, IsolationException.NameOf(IsolationOperation.Isolate), NamespaceLabel, exception.Message, applied ? "the new ruleset is installed" : after?.State.ToString() ?? "unknown");
            if (!applied)
            {
                throw Failed(IsolationOperation.Isolate, tableName, started, exception, after?.State);
            }
        }
        catch (NetlinkException exception)
        {
            throw Failed(IsolationOperation.Isolate, tableName, started, exception, TryProbe(tableName));
        }

        long elapsed = ElapsedMicroseconds(started);
        LogMessages.Isolated(_logger, tableName, NamespaceLabel, ruleset.Rules.Count, elapsed);
        return new IsolationResult(tableName, ruleset.Rules.Count, ruleset.Chains.Count, _batch.Bytes.Length, elapsed);
    }

    /// <summary>
    /// Commits the additions-only transaction of a first isolate; false, with nothing changed, when the kernel refused
    /// its NEWTABLE with EEXIST because the table appeared after the probe, or refused its first rule with EINVAL
    /// because it predates NFTA_RULE_CHAIN_ID (Linux 5.9): the replace transaction then follows.
    /// </summary>
    private bool TryCommitFirstIsolate(IsolationRuleset ruleset)
    {
        ruleset.WriteFirstIsolateBatch(_batch, Connection.ReserveSequences(ruleset.FirstIsolateMessageCount));
        try
        {
            Connection.Commit(_batch);
            return true;
        }
        catch (NetlinkException exception) when (exception.Errno == Errno.EEXIST && exception.FailingMessageIndex == 1)
        {
            LogMessages.TableAppeared(_logger, ruleset.Policy.TableName, NamespaceLabel);
            return false;
        }
        catch (NetlinkException exception) when (exception.Errno == Errno.EINVAL && exception.FailingMessageIndex == 2 + ruleset.Chains.Count)
        {
            return false; // a rule the replace transaction refuses as well is reported from there
        }
    }

    /// <summary>Deletes the isolation table in one transaction; succeeds and changes nothing when absent.</summary>
    public void Unisolate(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationPolicy.ValidateTableName(tableName);
        lock (_gate)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                IsolationRuleset.WriteUnisolateBatch(_batch, Connection.ReserveSequences(IsolationRuleset.UnisolateMessageCount), tableName);
                Connection.Commit(_batch);
            }
            catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.OutcomeUnknown)
            {
                IsolationState? after = TryProbe(tableName);
                LogMessages.OutcomeReprobed(_logger, IsolationException.NameOf(IsolationOperation.Unisolate), NamespaceLabel, exception.Message, after?.ToString() ?? "unknown");
                if (after != IsolationState.NotIsolated)
                {
                    throw Failed(IsolationOperation.Unisolate, tableName, started, exception, after);
                }
            }
            catch (NetlinkException exception)
            {
                throw Failed(IsolationOperation.Unisolate, tableName, started, exception, TryProbe(tableName));
            }

            long elapsed = ElapsedMicroseconds(started);
            LogMessages.Unisolated(_logger, tableName, NamespaceLabel, elapsed);
        }
    }

    /// <summary>One GETTABLE probe for <c>inet TABLE</c>: true when the table exists (ENOENT means not isolated).</summary>
    public bool IsIsolated(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationPolicy.ValidateTableName(tableName);
        lock (_gate)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                bool exists = Probe(tableName);
                long elapsed = ElapsedMicroseconds(started);
                LogMessages.Probed(_logger, tableName, NamespaceLabel, exists, elapsed);
                return exists;
            }
            catch (NetlinkException exception)
            {
                throw IsolationException.From(IsolationOperation.Status, exception, null);
            }
        }
    }

    /// <summary>
    /// The program that owns <paramref name="table"/> in this isolator's namespace, found as nft finds it for
    /// <c># progname NAME</c>; null when the table has no owner, or the owner's socket or process is not visible from
    /// here (nft then prints "(null)"). Pass the result to <see cref="NftSyntaxRenderer.Render"/>.
    /// </summary>
    public string? FindOwnerProgramName(NftTableSnapshot table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return table.Table.Owner is uint port ? NftTableOwner.FindProgramName(NamespacePath, port) : null;
    }

    /// <summary>
    /// Reads the table, its chains and rules at one ruleset generation (re-read when another process commits in
    /// between), and classifies it as isolated, not isolated or degraded.
    /// </summary>
    public IsolationStatus GetStatus(string tableName = IsolationPolicy.DefaultTableName)
    {
        IsolationPolicy.ValidateTableName(tableName);
        lock (_gate)
        {
            long started = Stopwatch.GetTimestamp();
            try
            {
                IsolationStatus status = ReadStatus(tableName);
                if (_logger.IsEnabled(LogLevel.Debug))
                {
                    string state = status.State.ToString();
                    long elapsed = ElapsedMicroseconds(started);
                    LogMessages.StatusRead(_logger, tableName, NamespaceLabel, state, status.Generation, status.Table?.Rules.Count ?? 0, elapsed);
                }
                return status;
            }
            catch (NetlinkException exception)
            {
                throw IsolationException.From(IsolationOperation.Status, exception, null);
            }
        }
    }

    private IsolationStatus ReadStatus(string tableName)
    {
        // A reading of "degraded" is confirmed by a second reading of the same table after a barrier. While another
        // process commits an isolate batch, nf_tables briefly shows the batch's first NEWTABLE (the one its DELTABLE
        // removes) with no chains, after the generation id already moved — so one reading alone can report a false
        // "degraded" (ConcurrencyTests). The barrier is an empty batch: the kernel serialises batches on its commit
        // mutex, so once it returns, the commit in flight has finished. A real degradation survives it.
        const int maxReadings = 16;
        IsolationStatus? previous = null;
        for (int reading = 1; ; reading++)
        {
            IsolationStatus status = ReadConsistentStatus(tableName);
            if (status.State != IsolationState.Degraded || (previous is not null && SameDegradation(previous, status)) || reading == maxReadings)
            {
                return status;
            }

            previous = status;
            WaitForCommitInFlight();
        }
    }

    /// <summary>Commits an empty batch (BEGIN, END): it changes nothing, but returns only after any commit in flight.</summary>
    private void WaitForCommitInFlight()
    {
        _batch.Begin(Connection.ReserveSequences(2));
        _batch.End();
        Connection.Commit(_batch);
    }

    private static bool SameDegradation(IsolationStatus a, IsolationStatus b)
        => a.Table?.Table.Handle == b.Table?.Table.Handle && SameProblems(a.Problems, b.Problems);

    private static bool SameProblems(IReadOnlyList<string> a, IReadOnlyList<string> b)
    {
        if (a.Count != b.Count)
        {
            return false;
        }

        for (int i = 0; i < a.Count; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }

    private IsolationStatus ReadConsistentStatus(string tableName)
    {
        const int maxAttempts = 64;
        for (int attempt = 1; ; attempt++)
        {
            uint before = Connection.GetGeneration();
            NftTableSnapshot? snapshot = ReadSnapshot(tableName);
            uint after = Connection.GetGeneration();
            if (before == after)
            {
                return snapshot is null
                    ? new IsolationStatus(IsolationState.NotIsolated, tableName, null, [], after)
                    : IsolationStatus.FromSnapshot(tableName, snapshot, after);
            }

            if (attempt == maxAttempts)
            {
                throw new NetlinkException(NetlinkErrorKind.OutcomeUnknown, Errno.EBUSY, $"the ruleset changed during {maxAttempts} consecutive reads; try again");
            }
        }
    }

    private NftTableSnapshot? ReadSnapshot(string tableName) => Connection.ReadTable(NfProtocolFamily.Inet, tableName);

    private bool Probe(string tableName) => Connection.TableExists(NfProtocolFamily.Inet, tableName);

    private IsolationState? TryProbe(string tableName)
    {
        try
        {
            return Probe(tableName) ? ReadStatus(tableName).State : IsolationState.NotIsolated;
        }
        catch (NetlinkException)
        {
            return null;
        }
    }

    private IsolationStatus? TryStatus(string tableName)
    {
        try
        {
            return ReadStatus(tableName);
        }
        catch (NetlinkException)
        {
            return null;
        }
    }

    private bool Matches(NftTableSnapshot snapshot, IsolationRuleset ruleset) => ruleset.DescribeDifference(snapshot, Connection.PortId) is null;

    private IsolationRuleset RulesetFor(IsolationPolicy policy)
    {
        if (!ReferenceEquals(policy, _cachedPolicy))
        {
            _cachedRuleset = IsolationRuleset.Build(policy);
            _cachedPolicy = policy;
        }

        return _cachedRuleset!;
    }

    private IsolationException Failed(IsolationOperation operation, string tableName, long started, NetlinkException cause, IsolationState? stateAfter)
    {
        long elapsed = ElapsedMicroseconds(started);
        string state = stateAfter switch
        {
            IsolationState.Isolated => operation == IsolationOperation.Isolate ? "the namespace is still isolated with its previous ruleset" : "the namespace is still isolated",
            IsolationState.NotIsolated => "the namespace is still not isolated",
            IsolationState.Degraded => "the namespace's isolation table is degraded, as it was before",
            _ => "its state could not be probed",
        };
        IsolationException failure = IsolationException.From(operation, cause, stateAfter, state);
        if (operation == IsolationOperation.Isolate)
        {
            LogMessages.IsolateFailed(_logger, tableName, NamespaceLabel, elapsed, failure.Kind.ToString(), failure.Errno, state);
        }
        else
        {
            LogMessages.UnisolateFailed(_logger, tableName, NamespaceLabel, elapsed, failure.Kind.ToString(), failure.Errno, state);
        }

        return failure;
    }

    private static long ElapsedMicroseconds(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMicroseconds;

    /// <summary>Closes the netlink sockets. Never un-isolates: the table stays in the kernel.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _connection?.Dispose();
            _batch.Dispose();
        }
    }
}
