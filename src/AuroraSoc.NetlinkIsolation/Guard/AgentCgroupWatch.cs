using AuroraSoc.NetlinkIsolation.Interop.FileSystem;
using Microsoft.Extensions.Logging;

namespace AuroraSoc.NetlinkIsolation.Guard;

/// <summary>
/// Watches the parent directory of every recorded agent cgroup with inotify (not a poll: the guard must re-commit
/// within a second of the agent's cgroup being created again), or, while the parent is missing too, its nearest
/// existing ancestor. Any change there calls back; the callback re-resolves and re-commits what changed. The watched
/// set follows the guarded tables: it is recomputed after every change and every quarter second.
/// </summary>
internal sealed class AgentCgroupWatch : IDisposable
{
    private const int WaitMilliseconds = 250;
    private readonly DirectoryWatch _watch;
    private readonly Func<List<string>> _cgroupDirectories;
    private readonly Action _changed;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly Dictionary<string, int> _watched = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    private AgentCgroupWatch(DirectoryWatch watch, Func<List<string>> cgroupDirectories, Action changed, ILogger logger)
    {
        _watch = watch;
        _cgroupDirectories = cgroupDirectories;
        _changed = changed;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "AuroraSoc guard agent cgroups" };
    }

    /// <summary>Starts watching; null (logged) when inotify is unavailable — the periodic verification still re-resolves.</summary>
    public static AgentCgroupWatch? Start(Func<List<string>> cgroupDirectories, Action changed, ILogger logger)
    {
        int error = DirectoryWatch.TryCreate(out DirectoryWatch? watch);
        if (error != 0)
        {
            GuardLogMessages.BackgroundFailure(logger, "agent cgroup watch", "inotify_init1: " + Interop.Errno.Name(error));
            return null;
        }

        var started = new AgentCgroupWatch(watch!, cgroupDirectories, changed, logger);
        started._thread.Start();
        return started;
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join();
        }

        _watch.Dispose();
    }

    private void Run()
    {
        while (!_stopping)
        {
            try
            {
                Follow(_cgroupDirectories());
                int events = _watch.Wait(WaitMilliseconds);
                if (events != 0 && !_stopping)
                {
                    _changed();
                }
            }
#pragma warning disable CA1031 // The watch must outlive one failed pass; the next one retries.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                GuardLogMessages.BackgroundFailure(_logger, "agent cgroup watch", exception.Message);
                Thread.Sleep(WaitMilliseconds);
            }
        }
    }

    /// <summary>Watches the nearest existing ancestor of each cgroup directory and stops watching the rest.</summary>
    private void Follow(List<string> cgroupDirectories)
    {
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (string directory in cgroupDirectories)
        {
            string? parent = Path.GetDirectoryName(directory);
            while (parent is not null && !Directory.Exists(parent))
            {
                parent = Path.GetDirectoryName(parent);
            }

            if (parent is not null)
            {
                wanted.Add(parent);
            }
        }

        foreach (string directory in new List<string>(_watched.Keys))
        {
            if (!wanted.Contains(directory))
            {
                _watch.Remove(_watched[directory]);
                _watched.Remove(directory);
            }
        }

        foreach (string directory in wanted)
        {
            // Added again every pass: inotify returns the same descriptor for a directory already watched, and a fresh
            // one when the directory was removed and created again (its old watch gone with it).
            int descriptor = _watch.Add(directory);
            if (descriptor >= 0)
            {
                _watched[directory] = descriptor;
            }
        }
    }
}
