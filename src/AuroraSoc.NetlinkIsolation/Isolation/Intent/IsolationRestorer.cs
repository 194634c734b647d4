using AuroraSoc.NetlinkIsolation.Interop;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Puts every recorded isolation back into the kernel (guard.md, "restore") — after a reboot, a flush, or whatever
/// else removed a table. Each intent is committed in one transaction with its recorded addresses (no DNS: at boot
/// there may be none). An intent whose namespace no longer exists is skipped and kept; one that cannot be read or
/// applied fails alone. Holds the state directory's lock for the whole pass.
/// </summary>
public sealed class IsolationRestorer
{
    private readonly IntentStore _store;
    private readonly ILogger _logger;

    public IsolationRestorer(IntentStore store, ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
        _logger = logger ?? NullLogger.Instance;
    }

    /// <summary>Restores every intent in the store; one result per intent file, ordered by target, then table.</summary>
    /// <exception cref="IntentStoreException">The state directory cannot be locked.</exception>
    public IReadOnlyList<RestoreResult> Restore()
    {
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

        foreach (IGrouping<string, (IsolationIntent Intent, string FilePath)> target in intents
            .OrderBy(i => i.Intent.Target, StringComparer.Ordinal)
            .ThenBy(i => i.Intent.Table, StringComparer.Ordinal)
            .GroupBy(i => i.Intent.Target, StringComparer.Ordinal))
        {
            RestoreTarget(target.Key, [.. target], results);
        }

        return results;
    }

    private void RestoreTarget(string target, List<(IsolationIntent Intent, string FilePath)> intents, List<RestoreResult> results)
    {
        string? namespacePath = IsolationIntent.NamespacePathOf(target);
        if (namespacePath is not null && NamespaceGone(namespacePath) is { } gone)
        {
            results.AddRange(intents.Select(i => Report(new RestoreResult(target, i.Intent.Table, RestoreOutcome.SkippedNamespaceGone, gone, i.FilePath))));
            return;
        }

        HostIsolator isolator;
        try
        {
            isolator = HostIsolator.Open(namespacePath, _logger);
        }
        catch (IsolationException exception) when (exception.Errno is Errno.ENOENT or Errno.EINVAL && namespacePath is not null)
        {
            // It went away between the probe and the open.
            results.AddRange(intents.Select(i => Report(new RestoreResult(target, i.Intent.Table, RestoreOutcome.SkippedNamespaceGone, exception.Message, i.FilePath))));
            return;
        }
        catch (IsolationException exception)
        {
            results.AddRange(intents.Select(i => Report(new RestoreResult(target, i.Intent.Table, RestoreOutcome.Failed, exception.Message, i.FilePath))));
            return;
        }

        using (isolator)
        {
            foreach ((IsolationIntent intent, string filePath) in intents)
            {
                try
                {
                    isolator.Isolate(intent.Policy);
                    results.Add(Report(new RestoreResult(target, intent.Table, RestoreOutcome.Restored, null, filePath)));
                }
                catch (IsolationException exception)
                {
                    results.Add(Report(new RestoreResult(target, intent.Table, RestoreOutcome.Failed, exception.Message, filePath)));
                }
            }
        }
    }

    /// <summary>Why the namespace at <paramref name="path"/> counts as gone, or null when it exists (or fails otherwise: the open reports that).</summary>
    private static string? NamespaceGone(string path)
    {
        // ENOENT: the file is gone (/run/netns is emptied at boot; a /proc/PID entry ends with its process).
        // EINVAL: a file that is no longer a namespace, e.g. the mount point `ip netns` leaves when the mount is gone.
        int error = NetlinkSocket.ProbeNamespace(path);
        return error switch
        {
            Errno.ENOENT => $"namespace {path} does not exist",
            Errno.EINVAL => $"{path} is no longer a network namespace",
            _ => null,
        };
    }

    private RestoreResult Report(RestoreResult result)
    {
        switch (result.Outcome)
        {
            case RestoreOutcome.Restored:
                LogMessages.IntentRestored(_logger, result.Target, result.Table ?? "?");
                break;
            case RestoreOutcome.SkippedNamespaceGone:
                LogMessages.IntentRestoreSkipped(_logger, result.Target, result.Table ?? "?", result.Error ?? string.Empty);
                break;
            default:
                LogMessages.IntentRestoreFailed(_logger, result.Target, result.Table ?? "?", result.Error ?? string.Empty);
                break;
        }

        return result;
    }
}
