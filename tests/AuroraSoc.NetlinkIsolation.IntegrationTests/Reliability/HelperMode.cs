using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Runtime.CompilerServices;
using System.Text;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Reliability;

/// <summary>
/// The test assembly's own helper mode: started as <c>dotnet AuroraSoc.NetlinkIsolation.IntegrationTests.dll</c> with
/// <see cref="Variable"/> set, the process runs one helper command instead of the tests and exits. It is the "isolating
/// process" of the multi-process, kill -9, privilege and no-shell-out tests (the CLI is not ready yet). Commands:
/// <list type="bullet">
/// <item><c>ops NSPATH OP…</c> — isolate | reisolate | unisolate | probe | status | caps, one line per op: <c>OK op detail</c> or
/// <c>FAIL op kind errno message</c>.</item>
/// <item><c>churn NSPATH WORKER OPS SEED</c> — random isolate (unique collector per op) / unisolate / status / probe;
/// prints <c>C kind tag start end</c> per committed change, <c>E …</c> per unexpected error, then fd/thread counts.</item>
/// <item><c>cycle NSPATH</c> — isolate A, unisolate, isolate B, unisolate … until killed (at most 1,000,000 ops); prints
/// <c>READY</c> once the socket is open (and, with AURORASOC_HELPER_WAIT=1, waits for a line on stdin before starting).</item>
/// <item><c>guard STATEDIR …</c> and <c>handoff STATEDIR NSPATH CYCLES</c> — see <see cref="Guard.GuardHelperCommands"/>.</item>
/// <item><c>intent NSPATH STATEDIR WORKER OPS SEED</c> — <see cref="IntentChurn"/>.</item>
/// </list>
/// Exit code 0 when every op went as expected for the command, 1 otherwise, 2 for a usage error.
/// </summary>
internal static class HelperMode
{
    public const string Variable = "AURORASOC_RELIABILITY_HELPER";

#pragma warning disable CA2255 // A module initializer is the only hook that runs before xunit's generated Main.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void RunIfRequested()
    {
        if (Environment.GetEnvironmentVariable(Variable) != "1")
        {
            return;
        }

        string[] args = Environment.GetCommandLineArgs().Skip(1).ToArray();
        int code;
        try
        {
            code = Run(args);
        }
#pragma warning disable CA1031 // a helper reports whatever happened and exits
        catch (Exception exception)
#pragma warning restore CA1031
        {
            Console.Out.WriteLine($"CRASH {exception.GetType().Name}: {exception.Message.ReplaceLineEndings(" ")}");
            code = 1;
        }

        Console.Out.Flush();
        Environment.Exit(code);
    }

    private static int Run(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Out.WriteLine("usage: ops|churn|cycle NSPATH …");
            return 2;
        }

        return args[0] switch
        {
            "ops" => Ops(args[1], args[2..]),
            "churn" => Churn(args[1], int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture), int.Parse(args[4], CultureInfo.InvariantCulture)),
            "cycle" => Cycle(args[1]),
            "guard" => Guard.GuardHelperCommands.RunGuard(args[1..]),
            "handoff" => Guard.GuardHelperCommands.HandOver(args[1], args[2], int.Parse(args[3], CultureInfo.InvariantCulture)),
            "intent" => IntentChurn.Run(args[1..]),
            _ => 2,
        };
    }

    private static int Ops(string path, string[] operations)
    {
        int failures = 0;
        HostIsolator isolator;
        try
        {
            isolator = HostIsolator.Open(path);
        }
        catch (IsolationException exception)
        {
            Console.Out.WriteLine(Fail("open", exception));
            return 1;
        }

        using (isolator)
        {
            foreach (string op in operations)
            {
                try
                {
                    string detail = op switch
                    {
                        "isolate" => isolator.Isolate(HelperPolicies.A).RuleCount.ToString(CultureInfo.InvariantCulture) + " rules",
                        "reisolate" => isolator.Isolate(HelperPolicies.B).RuleCount.ToString(CultureInfo.InvariantCulture) + " rules",
                        "unisolate" => Do(() => isolator.Unisolate()),
                        "probe" => isolator.IsIsolated().ToString(),
                        "status" => isolator.GetStatus().State.ToString(),
                        "caps" => File.ReadLines("/proc/self/status").Single(l => l.StartsWith("CapEff:", StringComparison.Ordinal)).Split('\t')[^1],
                        _ => throw new ArgumentException("unknown op " + op),
                    };
                    Console.Out.WriteLine($"OK {op} {detail}");
                }
                catch (IsolationException exception)
                {
                    failures++;
                    Console.Out.WriteLine(Fail(op, exception));
                }
            }
        }

        return failures == 0 ? 0 : 1;
    }

    private static int Churn(string path, int worker, int operations, int seed)
    {
        // Warm-up: the runtime keeps a descriptor for every assembly it maps, so count only after the first full cycle.
        using (HostIsolator warm = HostIsolator.Open(path))
        {
            warm.Isolate(HelperPolicies.Unique(worker, 0xffff));
            _ = warm.GetStatus();
            _ = warm.IsIsolated();
            warm.Unisolate();
        }

        int fdsBefore = ResourceCounts.LibraryDescriptors();
        int otherBefore = ResourceCounts.NonAssemblyDescriptors();
        int threadsBefore = ResourceCounts.Threads();
        var output = new StringBuilder();
        int errors = 0;
        using (HostIsolator isolator = HostIsolator.Open(path))
        {
            // Everyone starts together: the test answers READY with a line on stdin once all workers are ready.
            Console.Out.WriteLine("READY");
            Console.Out.Flush();
            _ = Console.In.ReadLine();
            var random = new Random(seed);
            for (int n = 0; n < operations; n++)
            {
                errors += ChurnStep(isolator, random, worker, n, output) ? 0 : 1;
            }
        }

        // Let the runtime settle nothing: the isolator is disposed, its socket must be closed now.
        output.Append(CultureInfo.InvariantCulture, $"FD {fdsBefore} {ResourceCounts.LibraryDescriptors()} {otherBefore} {ResourceCounts.NonAssemblyDescriptors()}\n");
        output.Append(CultureInfo.InvariantCulture, $"T {threadsBefore} {ResourceCounts.Threads()} {ResourceCounts.LibraryThreads()}\n");
        Console.Out.Write(output.ToString());
        return errors == 0 ? 0 : 1;
    }

    /// <summary>One random operation of the concurrency test; false on an unexpected result (written as an E line).</summary>
    internal static bool ChurnStep(HostIsolator isolator, Random random, int worker, int n, StringBuilder output)
    {
        int roll = random.Next(100);
        long start = Stopwatch.GetTimestamp();
        try
        {
            if (roll < 35)
            {
                IsolationPolicy policy = HelperPolicies.Unique(worker, n);
                isolator.Isolate(policy);
                output.Append(CultureInfo.InvariantCulture, $"C isolate {HelperPolicies.Tag(worker, n)} {start} {Stopwatch.GetTimestamp()}\n");
            }
            else if (roll < 60)
            {
                isolator.Unisolate();
                output.Append(CultureInfo.InvariantCulture, $"C unisolate - {start} {Stopwatch.GetTimestamp()}\n");
            }
            else if (roll < 80)
            {
                IsolationStatus status = isolator.GetStatus();
                if (status.State == IsolationState.Degraded)
                {
                    output.Append(CultureInfo.InvariantCulture, $"E status degraded: {string.Join("; ", status.Problems)}\n");
                    return false;
                }

                if (status.State == IsolationState.Isolated && status.Table!.Rules.Count != HelperPolicies.UniqueRuleCount)
                {
                    output.Append(CultureInfo.InvariantCulture, $"E status isolated with {status.Table.Rules.Count} rules, expected {HelperPolicies.UniqueRuleCount}\n");
                    return false;
                }
            }
            else
            {
                _ = isolator.IsIsolated();
            }

            return true;
        }
        catch (IsolationException exception)
        {
            output.Append(CultureInfo.InvariantCulture, $"E {exception.Operation} {exception.Kind} {exception.Errno} {exception.Message.ReplaceLineEndings(" ")}\n");
            return false;
        }
    }

    private static int Cycle(string path)
    {
        using HostIsolator isolator = HostIsolator.Open(path);
        if (Environment.GetEnvironmentVariable("AURORASOC_HELPER_WAIT") == "1")
        {
            // Started ahead of time: warm up without committing anything (a read and two batches built, not sent),
            // then touch nothing until told, so that the kills land in the isolate/unisolate loop.
            _ = isolator.GetStatus();
            using (var batch = new NfTablesBatch())
            {
                IsolationRuleset.Build(HelperPolicies.A).WriteIsolateBatch(batch, 1);
                IsolationRuleset.Build(HelperPolicies.B).WriteIsolateBatch(batch, 1);
            }

            Console.Out.WriteLine("READY");
            Console.Out.Flush();
            _ = Console.In.ReadLine();
        }
        else
        {
            isolator.Isolate(HelperPolicies.A); // warm-up (JIT), so that READY means "about to commit continuously"
            isolator.Unisolate();
            Console.Out.WriteLine("READY");
            Console.Out.Flush();
        }

        for (int n = 0; n < 1_000_000; n++)
        {
            switch (n % 4)
            {
                case 0:
                    isolator.Isolate(HelperPolicies.A);
                    break;
                case 2:
                    isolator.Isolate(HelperPolicies.B);
                    break;
                default:
                    isolator.Unisolate();
                    break;
            }
        }

        return 0;
    }

    private static string Do(Action action)
    {
        action();
        return "done";
    }

    private static string Fail(string op, IsolationException exception)
        => $"FAIL {op} {exception.Kind} {exception.Errno} {(exception.StateAfter?.ToString() ?? "unknown")} {exception.Message.ReplaceLineEndings(" ")}";
}

/// <summary>Policies the helper and the tests agree on.</summary>
internal static class HelperPolicies
{
    /// <summary>The contract example (tests/TestVectors/contract-example.listing.txt).</summary>
    public static readonly IsolationPolicy A = ContractPolicies.Example();

    /// <summary>strict-dns-any (tests/TestVectors/strict-dns-any.listing.txt).</summary>
    public static readonly IsolationPolicy B = ContractPolicies.StrictDnsAny();

    /// <summary>Rules of every <see cref="Unique"/> policy: 5 + 1 input, 5 + 1 + 1 (reject) output.</summary>
    public const int UniqueRuleCount = 13;

    /// <summary>A policy whose single collector names the worker and the op: 10.WORKER.HI.LO.</summary>
    public static IsolationPolicy Unique(int worker, int n) => new([new Endpoint(IPAddress.Parse(Tag(worker, n)))]);

    public static string Tag(int worker, int n) => string.Create(CultureInfo.InvariantCulture, $"10.{worker}.{n >> 8}.{n & 0xff}");
}

/// <summary>Counts of this process's open descriptors and threads, from /proc.</summary>
internal static class ResourceCounts
{
    public static int FileDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd").Length;

    /// <summary>Descriptors other than mapped assemblies (the runtime keeps one per assembly it loads, lazily).</summary>
    public static int NonAssemblyDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd")
        .Count(fd => !TryLink(fd).EndsWith(".dll", StringComparison.Ordinal));

    public static int Threads() => Directory.GetDirectories("/proc/self/task").Length;

    /// <summary>Live threads the library starts to open sockets in a namespace ("AuroraSoc netns socket open").</summary>
    public static int LibraryThreads() => Directory.GetDirectories("/proc/self/task")
        .Count(task => File.Exists(Path.Combine(task, "comm")) && TryRead(Path.Combine(task, "comm")).StartsWith("AuroraSoc netns", StringComparison.Ordinal)); // comm keeps 15 bytes

    /// <summary>Descriptors of the kinds the library opens: sockets and namespace files (net:[…]).</summary>
    public static int LibraryDescriptors() => Directory.GetFileSystemEntries("/proc/self/fd")
        .Select(fd => TryLink(fd))
        .Count(target => target.StartsWith("socket:", StringComparison.Ordinal) || target.StartsWith("net:", StringComparison.Ordinal));

    /// <summary>Targets of the descriptors that are netlink or other sockets.</summary>
    public static List<string> Sockets() => [.. Directory.GetFileSystemEntries("/proc/self/fd")
        .Select(fd => TryLink(fd))
        .Where(target => target.StartsWith("socket:", StringComparison.Ordinal))];

    private static string TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return string.Empty; // the thread ended meanwhile
        }
    }

    private static string TryLink(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? string.Empty;
        }
        catch (IOException)
        {
            return string.Empty;
        }
    }
}
