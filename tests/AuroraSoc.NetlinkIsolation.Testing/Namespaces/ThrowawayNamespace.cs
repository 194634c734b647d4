using System.Collections.Concurrent;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>
/// A named network namespace (<c>ip netns add PREFIX-PID-N</c>) that exists for one test, fixture, benchmark or demo
/// run and is deleted on <see cref="Dispose"/>. Everything done to firewalls and interfaces happens in here, never in
/// the machine's own namespace.
/// </summary>
/// <remarks>
/// Three nets catch a namespace its owner did not dispose: a process-exit hook, <see cref="DisposeAllOwned"/> (the
/// test assemblies call it when the run ends), and the sweep of names whose PID is no longer running that the first
/// <see cref="Create(string, string)"/> per prefix performs (a run killed outright leaves its namespaces behind).
/// The PID in the name is what makes the sweep safe: a live owner's namespaces are never touched.
/// </remarks>
public sealed class ThrowawayNamespace : IDisposable
{
    /// <summary>The prefix of the tests' namespaces: <c>aurorasoc-t-PID-N</c>.</summary>
    public const string TestPrefix = "aurorasoc-t-";

    private const string NetnsDirectory = "/run/netns";

    private static readonly ConcurrentDictionary<string, ThrowawayNamespace> Live = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, Lazy<IReadOnlyList<string>>> SweptPrefixes = new(StringComparer.Ordinal);
    private static readonly Lock AddLock = new();
    private static int counter;
    private static int exitHookInstalled;

    private readonly Lazy<ulong> inode;
    private int disposed;

    private ThrowawayNamespace(string name, string purpose)
    {
        Name = name;
        Purpose = purpose;
        inode = new Lazy<ulong>(() => NetworkNamespaceInode.OfFile(Path));
    }

    /// <summary>The netns name, <c>PREFIX-PID-N</c>.</summary>
    public string Name { get; }

    /// <summary>What the owner said it needs this namespace for (shows up in failure messages).</summary>
    public string Purpose { get; }

    /// <summary>The namespace file, <c>/run/netns/NAME</c> (what <c>--netns</c> and <c>HostIsolator.Open</c> take).</summary>
    public string Path => $"{NetnsDirectory}/{Name}";

    /// <summary>The namespace's inode, as in <c>net:[INODE]</c>.</summary>
    public ulong Inode => inode.Value;

    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>
    /// Creates a fresh namespace named <c><paramref name="prefix"/>PID-N</c> with <c>lo</c> up. Skips (or fails, see
    /// <see cref="Requirements"/>) when namespaces cannot be created here. Refuses a namespace that turns out to be
    /// this process's own.
    /// </summary>
    public static ThrowawayNamespace Create(string purpose, string prefix = TestPrefix) => CreateMany(1, purpose, prefix)[0];

    /// <summary>Creates <paramref name="count"/> namespaces as <see cref="Create"/> does, adding them all with one
    /// <c>ip -batch</c> process.</summary>
    public static ThrowawayNamespace[] CreateMany(int count, string purpose, string prefix = TestPrefix)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(count);
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        ValidatePrefix(prefix);
        Requirements.RequireNetworkNamespaces();
        _ = SweptPrefixes.GetOrAdd(prefix, p => new Lazy<IReadOnlyList<string>>(() => SweepStale(p))).Value;
        InstallExitHook();

        var created = new ThrowawayNamespace[count];
        for (int i = 0; i < count; i++)
        {
            string name = string.Create(CultureInfo.InvariantCulture, $"{prefix}{Environment.ProcessId}-{Interlocked.Increment(ref counter)}");
            created[i] = new ThrowawayNamespace(name, purpose);
            Live[name] = created[i];
        }

        try
        {
            AddNamed(created.Select(n => n.Name)).EnsureSuccess();
            ulong own = NetworkNamespaceInode.OfProcess();
            foreach (ThrowawayNamespace ns in created)
            {
                if (ns.Inode == own)
                {
                    throw new InvalidOperationException($"{ns.Path} is this process's own network namespace ({NetworkNamespaceInode.Format(own)}); refusing to use it");
                }

                ns.Ip("link", "set", "lo", "up");
            }

            return created;
        }
        catch
        {
            foreach (ThrowawayNamespace ns in created)
            {
                ns.Dispose();
            }

            throw;
        }
    }

    /// <summary>Runs <c>ip netns exec NAME argv…</c> and returns the result (not checked).</summary>
    public ProcessResult Exec(params string[] argv) => ExecWithInput(null, argv);

    /// <summary>Runs <c>ip netns exec NAME argv…</c> with <paramref name="standardInput"/> (not checked).</summary>
    public ProcessResult ExecWithInput(string? standardInput, params string[] argv)
    {
        ArgumentNullException.ThrowIfNull(argv);
        if (argv.Length == 0)
        {
            throw new ArgumentException("A program is required.", nameof(argv));
        }

        ThrowIfDisposed();
        return ProcessRunner.Run("ip", ["netns", "exec", Name, .. argv], standardInput);
    }

    /// <summary>Runs <c>ip -n NAME args…</c>, throws on failure, returns stdout.</summary>
    public string Ip(params string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        ThrowIfDisposed();
        return ProcessRunner.Run("ip", ["-n", Name, .. args]).EnsureSuccess().StandardOutput;
    }

    /// <summary>Runs several <c>ip</c> commands (one per line, without the leading <c>ip</c>) in one
    /// <c>ip -n NAME -batch -</c>; throws on the first failure.</summary>
    public void IpBatch(string commands)
    {
        ArgumentNullException.ThrowIfNull(commands);
        ThrowIfDisposed();
        ProcessRunner.Run("ip", ["-n", Name, "-batch", "-"], commands).EnsureSuccess();
    }

    /// <summary>Sets sysctls (<c>key=value</c>) inside; throws on failure.</summary>
    public void Sysctl(params string[] settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        Exec(["sysctl", "-q", "-w", .. settings]).EnsureSuccess();
    }

    /// <summary>Runs <c>nft ARGS</c> inside; <paramref name="arguments"/> is split on whitespace (nft joins its
    /// arguments with spaces again, so quotes such as <c>iif "lo"</c> pass through). Throws with stderr on failure;
    /// returns stdout verbatim.</summary>
    public string Nft(string arguments) => NftTry(arguments).EnsureSuccess().StandardOutput;

    /// <summary>Like <see cref="Nft"/> but returns the result whatever the exit code.</summary>
    public ProcessResult NftTry(string arguments, string? standardInput = null)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var split = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return ExecWithInput(standardInput, ["nft", .. split]);
    }

    /// <summary><c>nft -f -</c> inside with <paramref name="rulesetText"/> on stdin; throws with stderr on failure.</summary>
    public void ApplyNftRuleset(string rulesetText)
    {
        ArgumentNullException.ThrowIfNull(rulesetText);
        ExecWithInput(rulesetText, "nft", "-f", "-").EnsureSuccess();
    }

    /// <summary>The exact stdout of <c>nft list table FAMILY NAME</c> inside; throws when it fails (for example
    /// when the table does not exist).</summary>
    public string ListTable(string family, string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(family);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return ExecWithInput(null, "nft", "list", "table", family, name).EnsureSuccess().StandardOutput;
    }

    /// <summary>The exact stdout of <c>nft list ruleset</c> inside (empty for a fresh namespace).</summary>
    public string ListRuleset() => ExecWithInput(null, "nft", "list", "ruleset").EnsureSuccess().StandardOutput;

    /// <summary>Runs <paramref name="action"/> inside this namespace on a dedicated thread
    /// (<see cref="NamespaceThread.Run{T}(string, Func{T})"/>).</summary>
    public T RunInside<T>(Func<T> action)
    {
        ThrowIfDisposed();
        return NamespaceThread.Run(Path, action);
    }

    /// <inheritdoc cref="RunInside{T}(Func{T})"/>
    public void RunInside(Action action)
    {
        ThrowIfDisposed();
        NamespaceThread.Run(Path, action);
    }

    /// <summary>Like <see cref="RunInside{T}(Func{T})"/> but does not block (<see cref="NamespaceThread.RunAsync{T}"/>).</summary>
    public Task<T> RunInsideAsync<T>(Func<T> action)
    {
        ThrowIfDisposed();
        return NamespaceThread.RunAsync(Path, action);
    }

    /// <summary>Names of all namespaces registered under <c>/run/netns</c>.</summary>
    public static IReadOnlyList<string> ListRegistered() =>
        Directory.Exists(NetnsDirectory)
            ? [.. Directory.EnumerateFiles(NetnsDirectory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Deletes namespaces named <c><paramref name="prefix"/>PID-…</c> whose PID is no longer running (left
    /// behind by a crashed or killed run). Returns the names it deleted.</summary>
    public static IReadOnlyList<string> SweepStale(string prefix = TestPrefix)
    {
        ValidatePrefix(prefix);
        var deleted = new List<string>();
        foreach (string name in ListRegistered())
        {
            if (OwnerPid(name, prefix) is { } pid
                && pid != Environment.ProcessId
                && !Directory.Exists(string.Create(CultureInfo.InvariantCulture, $"/proc/{pid}")))
            {
                DeleteNamed(name);
                deleted.Add(name);
            }
        }

        return deleted;
    }

    /// <summary>Disposes every namespace this process created and has not disposed yet. Returns their names.</summary>
    public static IReadOnlyList<string> DisposeAllOwned()
    {
        var cleaned = new List<string>();
        foreach (ThrowawayNamespace leaked in Live.Values)
        {
            cleaned.Add(leaked.Name);
            leaked.Dispose();
        }

        return cleaned;
    }

    /// <summary>Disposes each of <paramref name="namespaces"/> (null entries are skipped).</summary>
    public static void DisposeAll(IEnumerable<ThrowawayNamespace?>? namespaces)
    {
        foreach (ThrowawayNamespace? ns in namespaces ?? [])
        {
            ns?.Dispose();
        }
    }

    /// <summary>Kills the processes left inside (never this process), then <c>ip netns del</c>. Never throws.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        Live.TryRemove(Name, out _);
        DeleteNamed(Name);
    }

    public override string ToString() => $"{Name} ({Purpose})";

    /// <summary><c>ip netns add</c> for each name, in one <c>ip -batch</c>.</summary>
    internal static ProcessResult AddNamed(IEnumerable<string> names)
    {
        string commands = string.Concat(names.Select(name => $"netns add {name}\n"));

        // Serialised: the very first `ip netns add` on a machine bind-mounts /run/netns, and two racing first
        // calls would stack two mounts and hide each other's namespaces.
        lock (AddLock)
        {
            return ProcessRunner.Run("ip", ["-batch", "-"], commands);
        }
    }

    /// <summary>Best effort, never throws: kill processes inside, delete the name, confirm it is gone.</summary>
    internal static void DeleteNamed(string name)
    {
        try
        {
            KillProcessesInside(name);
        }
#pragma warning disable CA1031 // Cleanup must never throw; a failure here is retried by SweepStale later.
        catch (Exception)
        {
        }

        for (var attempt = 0; attempt < 3 && File.Exists($"{NetnsDirectory}/{name}"); attempt++)
        {
            try
            {
                ProcessRunner.Run("ip", ["netns", "del", name], timeout: TimeSpan.FromSeconds(10));
            }
            catch (Exception)
            {
                Thread.Sleep(50);
            }
        }
#pragma warning restore CA1031
    }

    private static int? OwnerPid(string name, string prefix)
    {
        if (!name.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        ReadOnlySpan<char> rest = name.AsSpan(prefix.Length);
        int dash = rest.IndexOf('-');
        return dash > 0 && dash < rest.Length - 1
            && int.TryParse(rest[..dash], NumberStyles.None, CultureInfo.InvariantCulture, out int pid)
            ? pid
            : null;
    }

    // A prefix that ended in a digit, or without its dash, would let one owner's names parse as another PID's.
    private static void ValidatePrefix(string prefix)
    {
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        if (!prefix.EndsWith('-') || !prefix[..^1].All(c => char.IsAsciiLetterLower(c) || c == '-'))
        {
            throw new ArgumentException($"'{prefix}' is not a namespace prefix: lower-case letters and dashes, ending in a dash", nameof(prefix));
        }
    }

    private static void KillProcessesInside(string name)
    {
        if (!File.Exists($"{NetnsDirectory}/{name}"))
        {
            return;
        }

        var pids = ProcessRunner.Run("ip", ["netns", "pids", name], timeout: TimeSpan.FromSeconds(10)).StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : 0)
            .Where(pid => pid > 1 && pid != Environment.ProcessId)
            .ToArray();
        var victims = new List<System.Diagnostics.Process>();
        foreach (var pid in pids)
        {
            try
            {
                var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill(entireProcessTree: false);
                victims.Add(process);
            }
            catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }

        foreach (var victim in victims)
        {
            victim.WaitForExit(2000);
            victim.Dispose();
        }
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref exitHookInstalled, 1) == 0)
        {
            // Finally blocks do not run when a process dies of an unhandled exception; these events still do.
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAllOwned();
            AppDomain.CurrentDomain.UnhandledException += (_, _) => DisposeAllOwned();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);
}
