using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

/// <summary>
/// A named network namespace (<c>ip netns add aurorasoc-t-PID-N</c>) that exists for one test or fixture and is
/// deleted on <see cref="Dispose"/>. Everything a test does to firewalls and interfaces happens in here, never in
/// the machine's own namespace.
/// </summary>
public sealed partial class ThrowawayNamespace : IDisposable
{
    /// <summary>Every namespace this infrastructure creates is named <c>aurorasoc-t-PID-…</c>.</summary>
    public const string NamePrefix = "aurorasoc-t-";

    private const string NetnsDirectory = "/run/netns";

    private static readonly ConcurrentDictionary<string, ThrowawayNamespace> Live = new(StringComparer.Ordinal);
    private static readonly Lock AddLock = new();
    private static readonly Lazy<IReadOnlyList<string>> InitialSweep = new(SweepStale);
    private static int counter;
    private static int exitHookInstalled;

    private readonly Lazy<ulong> inode;
    private int disposed;

    private ThrowawayNamespace(string name, string purpose)
    {
        Name = name;
        Purpose = purpose;
        inode = new Lazy<ulong>(() => RunInside(NamespaceNative.CurrentThreadNetworkNamespaceInode));
    }

    /// <summary>The netns name, <c>aurorasoc-t-PID-N</c>.</summary>
    public string Name { get; }

    /// <summary>What the test said it needs this namespace for (shows up in failure messages).</summary>
    public string Purpose { get; }

    /// <summary>The namespace file, <c>/run/netns/NAME</c> (what <c>--netns</c> takes).</summary>
    public string Path => $"{NetnsDirectory}/{Name}";

    /// <summary>The namespace's inode, as in <c>net:[INODE]</c>.</summary>
    public ulong Inode => inode.Value;

    public bool IsDisposed => Volatile.Read(ref disposed) != 0;

    /// <summary>Creates a fresh namespace with <c>lo</c> up. Skips (or fails, see <see cref="Requirements"/>) when
    /// namespaces cannot be created here. The first call per process deletes namespaces left behind by dead test
    /// processes.</summary>
    public static ThrowawayNamespace Create(string purpose)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(purpose);
        Requirements.RequireNetworkNamespaces();
        _ = InitialSweep.Value;
        InstallExitHook();

        var name = string.Create(
            CultureInfo.InvariantCulture,
            $"{NamePrefix}{Environment.ProcessId}-{Interlocked.Increment(ref counter)}");
        AddNamed(name).EnsureSuccess();
        var created = new ThrowawayNamespace(name, purpose);
        Live[name] = created;
        try
        {
            created.Ip("link", "set", "lo", "up");
        }
        catch
        {
            created.Dispose();
            throw;
        }

        return created;
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

    /// <summary>Runs <paramref name="action"/> on a new dedicated thread that has entered this namespace with
    /// <c>setns(CLONE_NEWNET)</c>; the thread ends afterwards and is never reused. Sockets created by the delegate
    /// belong to this namespace for their whole life, whichever thread uses them later. The delegate must do its
    /// namespace-sensitive work synchronously: continuations after an <c>await</c> run on pool threads, which are
    /// in the machine's namespace. Exceptions propagate to the caller with their original stack.</summary>
    public T RunInside<T>(Func<T> action)
    {
        ThrowIfDisposed();
        return RunInNamespace(Path, action, Name);
    }

    /// <inheritdoc cref="RunInside{T}(Func{T})"/>
    public void RunInside(Action action)
    {
        ArgumentNullException.ThrowIfNull(action);
        RunInside<object?>(() =>
        {
            action();
            return null;
        });
    }

    /// <summary>Like <see cref="RunInside{T}(Func{T})"/> but does not block: the task completes when the dedicated
    /// thread has finished. Lets a test act in several namespaces at the same time.</summary>
    public Task<T> RunInsideAsync<T>(Func<T> action)
    {
        ThrowIfDisposed();
        return RunInNamespaceAsync(Path, action, Name);
    }

    /// <summary>Runs <paramref name="action"/> on a dedicated thread inside the network namespace file
    /// <paramref name="netnsPath"/> (<c>/run/netns/NAME</c>, <c>/proc/PID/ns/net</c>).</summary>
    public static T RunInNamespace<T>(string netnsPath, Func<T> action) => RunInNamespace(netnsPath, action, netnsPath);

    /// <summary>The inode of the network namespace the calling thread is in.</summary>
    public static ulong CurrentThreadNetworkNamespaceInode() => NamespaceNative.CurrentThreadNetworkNamespaceInode();

    /// <summary>The inode of this process's own network namespace (that of its main thread).</summary>
    public static ulong ProcessNetworkNamespaceInode() => NamespaceNative.NamespaceLinkInode("/proc/self/ns/net");

    /// <summary>Names of all namespaces registered under <c>/run/netns</c>.</summary>
    public static IReadOnlyList<string> ListRegistered() =>
        Directory.Exists(NetnsDirectory)
            ? [.. Directory.EnumerateFiles(NetnsDirectory).Select(System.IO.Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)]
            : [];

    /// <summary>Deletes namespaces named <c>aurorasoc-t-PID-…</c> whose PID is no longer running (left behind by a
    /// crashed or killed test run). Returns the names it deleted. Runs automatically once per process.</summary>
    public static IReadOnlyList<string> SweepStale()
    {
        var deleted = new List<string>();
        foreach (var name in ListRegistered())
        {
            var match = OwnedNamePattern().Match(name);
            if (!match.Success
                || !int.TryParse(match.Groups["pid"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == Environment.ProcessId
                || Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
            {
                continue;
            }

            DeleteNamed(name);
            deleted.Add(name);
        }

        return deleted;
    }

    /// <summary>Disposes every namespace this process created and has not disposed yet, and deletes any
    /// registered <c>aurorasoc-t-OWNPID-…</c> leftovers. Returns the names it cleaned up.</summary>
    public static IReadOnlyList<string> DisposeAllOwned()
    {
        var cleaned = new List<string>();
        foreach (var leaked in Live.Values)
        {
            cleaned.Add(leaked.Name);
            leaked.Dispose();
        }

        var ownPrefix = string.Create(CultureInfo.InvariantCulture, $"{NamePrefix}{Environment.ProcessId}-");
        foreach (var name in ListRegistered().Where(n => n.StartsWith(ownPrefix, StringComparison.Ordinal)))
        {
            DeleteNamed(name);
            cleaned.Add(name);
        }

        return cleaned;
    }

    /// <summary>Kills the processes left inside (never this test process), then <c>ip netns del</c>. Never throws.</summary>
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

    internal static ProcessResult AddNamed(string name)
    {
        // Serialised: the very first `ip netns add` on a machine bind-mounts /run/netns, and two racing first
        // calls would stack two mounts and hide each other's namespaces.
        lock (AddLock)
        {
            return ProcessRunner.Run("ip", "netns", "add", name);
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

    private static T RunInNamespace<T>(string netnsPath, Func<T> action, string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(netnsPath);
        ArgumentNullException.ThrowIfNull(action);
        T result = default!;
        ExceptionDispatchInfo? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                NamespaceNative.EnterNetworkNamespace(netnsPath);
                result = action();
            }
#pragma warning disable CA1031 // Rethrown on the calling thread.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failure = ExceptionDispatchInfo.Capture(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {label}",
        };
        thread.Start();
        thread.Join();
        failure?.Throw();
        return result;
    }

    private static Task<T> RunInNamespaceAsync<T>(string netnsPath, Func<T> action, string label)
    {
        ArgumentException.ThrowIfNullOrEmpty(netnsPath);
        ArgumentNullException.ThrowIfNull(action);
        var completion = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            try
            {
                NamespaceNative.EnterNetworkNamespace(netnsPath);
                completion.SetResult(action());
            }
#pragma warning disable CA1031 // Delivered through the task.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                completion.SetException(ex);
            }
        })
        {
            IsBackground = true,
            Name = $"netns {label}",
        };
        thread.Start();
        return completion.Task;
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DisposeAllOwned();
        }
    }

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(IsDisposed, this);

    [GeneratedRegex(@"^aurorasoc-t-(?<pid>[0-9]+)-.+$", RegexOptions.CultureInvariant)]
    private static partial Regex OwnedNamePattern();
}
