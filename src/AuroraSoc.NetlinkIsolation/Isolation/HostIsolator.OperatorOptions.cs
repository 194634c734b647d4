using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// Isolate with the operator options of cli.md: collector verification with rollback, and cutting open connections
// in strict mode.
public sealed partial class HostIsolator
{
    /// <summary>
    /// Installs (or atomically replaces) the isolation table for <paramref name="policy"/> in one transaction, then:
    /// with <see cref="IsolateOptions.VerifyCollectors"/>, connects from inside the namespace to every collector with a
    /// port and, when none connects, restores the previous state in one transaction and throws; in strict mode,
    /// destroys the established TCP connections the policy does not allow (<see cref="SessionCutting"/>).
    /// </summary>
    /// <exception cref="PolicyValidationException">Verification was asked for but no collector has a port, the timeout
    /// is out of range, or the current table holds objects a rollback could not restore; nothing changed.</exception>
    /// <exception cref="IsolationException">The commit failed (nothing changed), or no collector was reachable
    /// (<see cref="IsolationErrorKind.CollectorUnreachable"/>; <see cref="IsolationException.RolledBack"/> says whether
    /// the previous state is back).</exception>
    public IsolationResult Isolate(IsolationPolicy policy, IsolateOptions options)
    {
        ArgumentNullException.ThrowIfNull(policy);
        lock (_gate)
        {
            return IsolateLocked(RulesetFor(policy), options);
        }
    }

    /// <summary>
    /// As <see cref="Isolate(IsolationPolicy, IsolateOptions)"/> for a prepared ruleset: the guard's, whose table
    /// carries the owner flags.
    /// </summary>
    internal IsolationResult Isolate(IsolationRuleset ruleset, IsolateOptions options)
    {
        ArgumentNullException.ThrowIfNull(ruleset);
        lock (_gate)
        {
            return IsolateLocked(ruleset, options);
        }
    }

    private IsolationResult IsolateLocked(IsolationRuleset ruleset, IsolateOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        IsolationPolicy policy = ruleset.Policy;
        if (options.VerifyCollectors)
        {
            CollectorVerification.Validate(policy, options.VerifyTimeout);
        }

        RollbackState? rollback = options.VerifyCollectors ? CaptureRollbackState(policy.TableName) : null;
        // The rollback's reading already says whether the table exists: no second probe.
        IsolationResult result = IsolateLocked(ruleset, rollback is null ? null : rollback.State != IsolationState.NotIsolated);
        IReadOnlyList<CollectorCheck> verified = [];
        if (rollback is not null)
        {
            // With agent identities the probe is the agent's: a root socket outside them would be reset by design.
            // A cgroup identity is probed from a child placed in the cgroup: a socket takes its creator's cgroup.
            (uint? probeUid, uint? probeGid) = CollectorVerification.ProbeIdentity(policy);
            verified = policy.AgentIdentities.Count > 0 && policy.AgentIdentities[0].KindCode == AgentIdentityKind.Cgroup
                ? AgentCgroupProbe.Run(policy.AgentIdentities[0], NamespacePath, CollectorVerification.Targets(policy), options.VerifyTimeout)
                : CollectorVerification.Run(CollectorVerification.Targets(policy), options.VerifyTimeout, family => Interop.Process.FileSystemIdentity.Run(probeUid, probeGid, () => CollectorVerification.CreateSocket(NamespacePath, family)));
            int reachable = 0;
            foreach (CollectorCheck check in verified)
            {
                reachable += check.Ok ? 1 : 0;
            }

            LogMessages.CollectorsVerified(_logger, NamespaceLabel, reachable, verified.Count, (long)options.VerifyTimeout.TotalMilliseconds);
            if (reachable == 0)
            {
                throw RollBack(rollback, verified);
            }
        }

        // With agent identities, collector sessions that are not the agent's are cut in keep mode too (docs/ruleset.md).
        bool cutting = policy.Mode == IsolationMode.Strict || policy.AgentIdentities.Count > 0;
        SessionCutResult cut = cutting && options.CutOpenConnections ? CutOpenConnections(policy) : SessionCutResult.None;
        return result with { Verified = verified, SessionsCut = cut };
    }

    private RollbackState CaptureRollbackState(string tableName)
    {
        IsolationStatus before;
        List<string> sets;
        try
        {
            before = ReadStatus(tableName);
            sets = before.Table is null ? [] : ReadSetNames(tableName);
        }
        catch (NetlinkException exception)
        {
            throw IsolationException.From(IsolationOperation.Isolate, exception, null, "nothing was changed");
        }

        try
        {
            return RollbackState.Capture(before, sets);
        }
        catch (InvalidOperationException exception)
        {
            throw new PolicyValidationException("verify-collector", null, exception.Message);
        }
    }

    /// <summary>The names of the table's sets and maps (NFT_MSG_GETSET dump); anonymous ones are named "__set%d".</summary>
    private List<string> ReadSetNames(string tableName)
    {
        List<(string Table, string Name)> sets = Connection.Dump(NftMessageType.GetSet, NfProtocolFamily.Inet, (ushort)NftSetAttribute.Table, tableName, static (in NetlinkMessage message) =>
        {
            string table = string.Empty;
            string name = string.Empty;
            NetlinkAttributeReader attributes = message.NfAttributes();
            while (attributes.Read())
            {
                switch (attributes.Type)
                {
                    case (ushort)NftSetAttribute.Table:
                        table = attributes.GetString();
                        break;
                    case (ushort)NftSetAttribute.Name:
                        name = attributes.GetString();
                        break;
                }
            }

            return (table, name);
        });

        // Older kernels ignore the table filter on dumps; filter here as well.
        var names = new List<string>();
        foreach ((string table, string name) in sets)
        {
            if (table == tableName)
            {
                names.Add(name);
            }
        }

        return names;
    }

    private IsolationException RollBack(RollbackState rollback, IReadOnlyList<CollectorCheck> verified)
    {
        try
        {
            rollback.WriteRestoreBatch(_batch, Connection.ReserveSequences(rollback.MessageCount));
            Connection.Commit(_batch);
        }
        catch (NetlinkException exception)
        {
            // An unclear outcome is not counted as restored: only a state read back could say so, and the operator
            // is told what was found instead.
            IsolationState? after = TryProbe(rollback.TableName);
            LogMessages.RollbackFailed(_logger, rollback.TableName, NamespaceLabel, exception.Message, after?.ToString() ?? "unknown");
            return IsolationException.CollectorsUnreachable(verified, after, exception);
        }

        if (_logger.IsEnabled(LogLevel.Information))
        {
            string failures = CollectorVerification.DescribeFailures(verified);
            string state = rollback.State.ToString();
            LogMessages.RolledBack(_logger, rollback.TableName, NamespaceLabel, failures, state);
        }

        return IsolationException.CollectorsUnreachable(verified, rollback.State, null);
    }

    private SessionCutResult CutOpenConnections(IsolationPolicy policy)
    {
        SessionCutResult cut = SessionCutting.Cut(NamespacePath, policy);
        LogMessages.SessionsCut(_logger, NamespaceLabel, cut.Destroyed, cut.Examined);
        if (cut.Warning is not null)
        {
            LogMessages.SessionCuttingIncomplete(_logger, NamespaceLabel, cut.Warning);
        }

        return cut;
    }
}
