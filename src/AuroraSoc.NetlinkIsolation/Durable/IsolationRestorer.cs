using AuroraSoc.NetlinkIsolation.Handoff;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>
/// Puts every recorded isolation back into the kernel (guard.md, "restore") — after a reboot, a flush, or whatever
/// else removed a table. Each intent is committed in one transaction with its recorded addresses (no DNS: at boot
/// there may be none). An intent whose namespace no longer exists is skipped and kept; one that cannot be read or
/// applied fails alone. Holds the state directory's lock for the whole pass. While a guard serves the directory, the
/// pass is handed to it (it owns the tables) and its results come back as if restored here.
/// </summary>
public sealed class IsolationRestorer
{
    private readonly IntentStore _store;
    private readonly ILogger _logger;

    /// <summary>A restorer of the intents recorded in <paramref name="store"/>.</summary>
    /// <param name="store">The state directory to restore from.</param>
    /// <param name="logger">Receives one entry per intent restored, skipped or failed; null for none.</param>
    public IsolationRestorer(IntentStore store, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Restores every intent in the store; one result per intent file, ordered by target, then table.</summary>
    /// <exception cref="IsolationException">This process may not change nf_tables (no CAP_NET_ADMIN); nothing was read or restored.</exception>
    /// <exception cref="IntentStoreException">The state directory cannot be locked.</exception>
    public IReadOnlyList<RestoreResult> Restore()
    {
        // Permission first, even with nothing recorded: a restore that could not restore anything must not report
        // success, and a caller without CAP_NET_ADMIN is told so before the state directory is created or locked.
        using (HostIsolator own = HostIsolator.Open(null, _logger))
        {
            _ = own.IsIsolated();
        }

        if (GuardClient.TryConnect(_store.Directory) is { } guard)
        {
            using (guard)
            {
                return guard.Restore();
            }
        }

        using IntentLock held = _store.AcquireLock();
        var results = new List<RestoreResult>();
        var intents = new List<(IsolationIntent Intent, string FilePath)>();
        foreach (IntentEntry entry in _store.ReadAll())
        {
            if (entry.Intent is null)
            {
                results.Add(Report(new RestoreResult(entry.FilePath, null, RestoreOutcome.Failed, entry.Error, entry.FilePath)));
            }
            else
            {
                intents.Add((entry.Intent, entry.FilePath));
            }
        }

        // By target, then table; intents for the same target and table (two files) stay in the order they were read.
        var order = new List<(IsolationIntent Intent, string FilePath, int Read)>(intents.Count);
        for (int i = 0; i < intents.Count; i++)
        {
            order.Add((intents[i].Intent, intents[i].FilePath, i));
        }

        order.Sort(static (a, b) =>
        {
            int byTarget = string.CompareOrdinal(a.Intent.Target, b.Intent.Target);
            int byTable = byTarget != 0 ? byTarget : string.CompareOrdinal(a.Intent.Table, b.Intent.Table);
            return byTable != 0 ? byTable : a.Read.CompareTo(b.Read);
        });

        for (int start = 0; start < order.Count;)
        {
            string target = order[start].Intent.Target;
            var ofTarget = new List<(IsolationIntent Intent, string FilePath)>();
            for (; start < order.Count && order[start].Intent.Target == target; start++)
            {
                ofTarget.Add((order[start].Intent, order[start].FilePath));
            }

            RestoreTarget(target, ofTarget, results);
        }

        return results;
    }

    private void RestoreTarget(string target, List<(IsolationIntent Intent, string FilePath)> intents, List<RestoreResult> results)
    {
        var present = new List<(IsolationIntent Intent, string FilePath)>();
        string? namespacePath = null;
        foreach ((IsolationIntent intent, string filePath) in intents)
        {
            // Only the namespace the intent names: a host intent is not applied from another namespace, an identity
            // target is found by its inode, a /proc/PID target whose pid now names another namespace is gone.
            NamespaceLocation location = NamespaceTarget.Locate(intent);
            if (location.Gone is { } gone)
            {
                results.Add(Report(new RestoreResult(target, intent.Table, RestoreOutcome.SkippedNamespaceGone, gone, filePath)));
            }
            else
            {
                namespacePath = location.Path;
                present.Add((intent, filePath));
            }
        }

        if (present.Count == 0)
        {
            return;
        }

        HostIsolator isolator;
        try
        {
            isolator = HostIsolator.Open(namespacePath, _logger);
        }
        catch (IsolationException exception) when (exception.Errno is Errno.ENOENT or Errno.EINVAL && namespacePath is not null)
        {
            // It went away between the check and the open.
            ReportAll(target, present, RestoreOutcome.SkippedNamespaceGone, exception.Message, results);
            return;
        }
        catch (IsolationException exception)
        {
            ReportAll(target, present, RestoreOutcome.Failed, exception.Message, results);
            return;
        }

        using (isolator)
        {
            foreach ((IsolationIntent intent, string filePath) in present)
            {
                try
                {
                    isolator.Isolate(intent.Policy);
                    results.Add(Report(AgentCgroupsMissing.ResultOf(intent, filePath)));
                }
                catch (IsolationException exception)
                {
                    results.Add(Report(new RestoreResult(target, intent.Table, RestoreOutcome.Failed, exception.Message, filePath)));
                }
            }
        }
    }

    /// <summary>
    /// Why <paramref name="intent"/>'s namespace counts as gone — so its intent must be kept but not applied here — or
    /// null when it is there (a failure to open it for another reason is reported by the open). A host intent is gone
    /// from any namespace but PID 1's. Whoever re-applies intents (restore, the guard) asks this first.
    /// </summary>
    internal static string? NamespaceGone(IsolationIntent intent) => NamespaceTarget.Locate(intent).Gone;

    private void ReportAll(string target, List<(IsolationIntent Intent, string FilePath)> intents, RestoreOutcome outcome, string error, List<RestoreResult> results)
    {
        foreach ((IsolationIntent intent, string filePath) in intents)
        {
            results.Add(Report(new RestoreResult(target, intent.Table, outcome, error, filePath)));
        }
    }

    private RestoreResult Report(RestoreResult result)
    {
        switch (result.Outcome)
        {
            case RestoreOutcome.Restored:
                DurableLogMessages.IntentRestored(_logger, result.Target, result.Table ?? "?");
                break;
            case RestoreOutcome.Degraded:
                DurableLogMessages.IntentRestoredDegraded(_logger, result.Target, result.Table ?? "?", result.Error ?? string.Empty);
                break;
            case RestoreOutcome.SkippedNamespaceGone:
                DurableLogMessages.IntentRestoreSkipped(_logger, result.Target, result.Table ?? "?", result.Error ?? string.Empty);
                break;
            default:
                DurableLogMessages.IntentRestoreFailed(_logger, result.Target, result.Table ?? "?", result.Error ?? string.Empty);
                break;
        }

        return result;
    }
}
