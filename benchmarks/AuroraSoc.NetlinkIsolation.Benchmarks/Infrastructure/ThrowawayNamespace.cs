using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>
/// A network namespace made for one benchmark process (<c>ip netns add aurorasoc-bench-PID-N</c>) and deleted when
/// the benchmark is done, when its setup fails, or at the latest when the process exits. The library is only ever
/// pointed at <see cref="Path"/>; the machine's own namespace is never touched.
/// </summary>
internal sealed class ThrowawayNamespace : IDisposable
{
    public const string NamePrefix = "aurorasoc-bench-";
    private const string NetnsDirectory = "/run/netns";

    private static readonly Lock Registry = new();
    private static readonly HashSet<string> Alive = new(StringComparer.Ordinal);
    private static int _counter;
    private static bool _exitHookInstalled;

    private ThrowawayNamespace(string name)
    {
        Name = name;
        Identity = NamespaceIdentity.Of(Path);
    }

    public string Name { get; }

    /// <summary>The nsfs bind mount <c>ip netns add</c> creates: what <c>HostIsolator.Open(path)</c> is given.</summary>
    public string Path => $"{NetnsDirectory}/{Name}";

    /// <summary>"net:[inode]", as readlink of /proc/PID/ns/net spells it.</summary>
    public string Identity { get; }

    public static ThrowawayNamespace Create() => CreateMany(1)[0];

    /// <summary>Creates <paramref name="count"/> namespaces with one <c>ip -batch</c> process.</summary>
    public static ThrowawayNamespace[] CreateMany(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        InstallExitHook();
        int pid = Environment.ProcessId;
        string[] names = new string[count];
        for (int i = 0; i < count; i++)
        {
            names[i] = string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}{pid}-{Interlocked.Increment(ref _counter)}");
        }

        lock (Registry)
        {
            foreach (string name in names)
            {
                Alive.Add(name);
            }
        }

        try
        {
            RunIpBatch(names.Select(n => $"netns add {n}"));
            var created = new ThrowawayNamespace[count];
            string own = NamespaceIdentity.OfProcess();
            for (int i = 0; i < count; i++)
            {
                created[i] = new ThrowawayNamespace(names[i]);

                // The whole point: never the machine's own namespace.
                if (created[i].Identity == own)
                {
                    throw new InvalidOperationException($"{created[i].Path} is this process's own network namespace ({own}); refusing to benchmark in it.");
                }
            }

            return created;
        }
        catch
        {
            Delete(names);
            throw;
        }
    }

    public void Dispose() => Delete([Name]);

    public static void DisposeAll(IEnumerable<ThrowawayNamespace?>? namespaces)
    {
        if (namespaces is not null)
        {
            Delete(namespaces.Where(n => n is not null).Select(n => n!.Name).ToArray());
        }
    }

    /// <summary>
    /// Deletes namespaces named <c>aurorasoc-bench-PID-N</c> whose process is gone (a benchmark process that was
    /// killed before its cleanup ran). Returns the names deleted.
    /// </summary>
    public static IReadOnlyList<string> SweepOrphans()
    {
        if (!Directory.Exists(NetnsDirectory))
        {
            return [];
        }

        var orphans = new List<string>();
        foreach (string path in Directory.EnumerateFileSystemEntries(NetnsDirectory, NamePrefix + "*"))
        {
            string name = System.IO.Path.GetFileName(path);
            string[] parts = name[NamePrefix.Length..].Split('-');
            if (parts.Length == 2 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int owner)
                && owner != Environment.ProcessId && !Directory.Exists($"/proc/{owner}"))
            {
                orphans.Add(name);
            }
        }

        if (orphans.Count > 0)
        {
            RunIpBatch(orphans.Select(n => $"netns del {n}"), force: true);
        }

        return orphans;
    }

    private static void Delete(string[] names)
    {
        string[] pending;
        lock (Registry)
        {
            pending = names.Where(Alive.Remove).ToArray();
        }

        // Only what exists: a failed `ip netns add` leaves nothing to delete.
        pending = pending.Where(n => File.Exists($"{NetnsDirectory}/{n}")).ToArray();
        if (pending.Length > 0)
        {
            RunIpBatch(pending.Select(n => $"netns del {n}"), force: true);
        }
    }

    private static void InstallExitHook()
    {
        lock (Registry)
        {
            if (_exitHookInstalled)
            {
                return;
            }

            // Last resort when a benchmark throws before [GlobalCleanup] or the process dies of an unhandled
            // exception (finally blocks do not run then); the host process also sweeps orphans.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeleteAllAlive();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => DeleteAllAlive();
            _exitHookInstalled = true;
        }
    }

    private static void DeleteAllAlive()
    {
        string[] left;
        lock (Registry)
        {
            left = [.. Alive];
        }

        try
        {
            Delete(left);
        }
        catch (InvalidOperationException)
        {
            // Nothing more can be done while exiting; SweepOrphans in the host catches it.
        }
    }

    /// <summary><c>ip [-force] -batch -</c> with one command per line on stdin; throws on failure.</summary>
    private static void RunIpBatch(IEnumerable<string> commands, bool force = false)
    {
        var start = new ProcessStartInfo("ip")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (force)
        {
            start.ArgumentList.Add("-force");
        }

        start.ArgumentList.Add("-batch");
        start.ArgumentList.Add("-");
        using Process ip = Process.Start(start) ?? throw new InvalidOperationException("could not start ip");
        var input = new StringBuilder();
        foreach (string command in commands)
        {
            input.Append(command).Append('\n');
        }

        ip.StandardInput.Write(input.ToString());
        ip.StandardInput.Close();
        Task<string> errors = ip.StandardError.ReadToEndAsync();
        _ = ip.StandardOutput.ReadToEnd();
        ip.WaitForExit();
        if (ip.ExitCode != 0)
        {
            throw new InvalidOperationException($"ip -batch failed with exit code {ip.ExitCode} (needs root): {errors.Result.Trim()}");
        }
    }
}
