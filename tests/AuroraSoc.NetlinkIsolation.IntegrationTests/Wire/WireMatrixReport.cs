using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

[assembly: AssemblyFixture(typeof(WireMatrixReport))]

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>What a probe must show.</summary>
public enum Expect
{
    /// <summary>Connected / replied / leased.</summary>
    Works,

    /// <summary>TCP: a reset at once (ECONNREFUSED/ECONNRESET) — the output chain's <c>reject with tcp reset</c>.</summary>
    Reset,

    /// <summary>Nothing comes back: the probe times out (a drop, no reject).</summary>
    Silent,

    /// <summary>Anything but success (UDP: EPERM or no reply; a cut session: reset or silence).</summary>
    Fails,
}

/// <summary>One probe's outcome in one cell of the matrix.</summary>
public sealed record WireRecord(
    string Group,
    string Flow,
    IsolationVariant Variant,
    IsolationMode Mode,
    Expect Expected,
    string Outcome,
    TimeSpan Elapsed,
    bool Passed,
    int Position,
    long Order);

/// <summary>
/// Collects every probe of the Wire tests and, when the test run ends (assembly fixture), writes the containment
/// matrix as Markdown to <c>TestResults/wire-matrix.md</c> at the repository root (git-ignored): flows × (mode,
/// variant), each cell the outcome and the measured time. The block between the <c>wire-matrix</c> markers is what
/// docs/ruleset.md carries.
/// </summary>
public sealed class WireMatrixReport : IDisposable
{
    private static readonly ConcurrentQueue<WireRecord> Records = new();
    private static readonly ConcurrentDictionary<string, long> FirstSeen = new(StringComparer.Ordinal);
    private static readonly Stopwatch RunClock = Stopwatch.StartNew();
    private static long sequence;

    public static string OutputPath => Path.Combine(RepositoryPaths.Root, "TestResults", "wire-matrix.md");

    /// <summary>Records one probe; <paramref name="position"/> is its place within its test, which orders the rows.</summary>
    public static void Add(string group, string flow, IsolationVariant variant, IsolationMode mode, Expect expected, string outcome, TimeSpan elapsed, bool passed, int position)
    {
        var order = FirstSeen.GetOrAdd(group + "\n" + flow, _ => Interlocked.Increment(ref sequence));
        Records.Enqueue(new WireRecord(group, flow, variant, mode, expected, outcome, elapsed, passed, position, order));
    }

    public void Dispose()
    {
        if (Records.IsEmpty)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(OutputPath)!);
        File.WriteAllText(OutputPath, Render([.. Records], RunClock.Elapsed));
    }

    public static string Render(IReadOnlyList<WireRecord> records, TimeSpan runTime)
    {
        var columns = new[]
        {
            (IsolationMode.Keep, IsolationVariant.Outside), (IsolationMode.Keep, IsolationVariant.Inside), (IsolationMode.Keep, IsolationVariant.Cli),
            (IsolationMode.Strict, IsolationVariant.Outside), (IsolationMode.Strict, IsolationVariant.Inside), (IsolationMode.Strict, IsolationVariant.Cli),
        };
        var kernel = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
        var nft = Requirements.FindOnPath("nft") is null ? "nft not installed" : ProcessRunner.Run("nft", "--version").StandardOutput.Trim();
        var failed = records.Count(r => !r.Passed);
        var text = new StringBuilder();
        text.AppendLine("<!-- wire-matrix:begin -->");
        text.AppendLine("## Containment matrix");
        text.AppendLine();
        text.Append(CultureInfo.InvariantCulture, $"Measured {DateTime.UtcNow:yyyy-MM-dd} on Linux {kernel} ({nft}) by the Wire tests ")
            .AppendLine("(`tests/AuroraSoc.NetlinkIsolation.IntegrationTests/Wire/`), run as")
            .AppendLine("`AURORASOC_REQUIRE_PRIVILEGED=1 dotnet test tests/AuroraSoc.NetlinkIsolation.IntegrationTests --filter \"FullyQualifiedName~Wire\"`.")
            .Append(CultureInfo.InvariantCulture, $"{records.Count} probes, {failed} not as expected; the run took {runTime.TotalSeconds:0} s (six test classes, one topology each, two at a time).")
            .AppendLine();
        text.AppendLine();
        text.AppendLine("""
            Setup: the three-namespace `Topology` (Host isolated; Lan with the collector, other peers, resolvers, gateway,
            DHCP servers; Container routed through Host). Isolation applied to Host three ways — **outside** =
            `HostIsolator.Open("/run/netns/HOST")` from the test process's namespace, **inside** = `HostIsolator.Open()`
            on a thread inside Host, **CLI** = `aurorasoc-isolate isolate … --netns /run/netns/HOST`.
            Policy: collectors `192.0.2.10`, `2001:db8::10` (any port), `192.0.2.11:443`, `[2001:db8::11]:443`; allowed peers
            `198.51.100.10`, `2001:db8:5100::10` (off-link via the gateway); DNS, DHCP and forwarding as the group says.
            Every flow was checked to work before isolating. Neighbour caches of all namespaces are flushed right after
            isolating, so ARP and IPv6 neighbour discovery run under the ruleset.
            Cell: ✅/❌ (as expected or not), outcome (`Connected`/`Replied`/`Leased`; `Refused` = TCP reset;
            `TimedOut` = nothing came back within the probe's bound, 600 ms for probes that must fail, 3 s for probes that
            must work; `Denied` = EPERM from the local stack; `SendDenied` = DHCP client's send got EPERM;
            `NoOffer` = no answer), then the measured time of the probe (connect, exchange or whole DHCP exchange).
            DHCP is a minimal in-test client/server speaking real BOOTP (DISCOVER/OFFER/REQUEST/ACK, broadcast on the
            veth, server answering from the gateway address) and DHCPv6 (SOLICIT to ff02::1:2 / ADVERTISE / REQUEST /
            REPLY between link-local addresses). "Host firewall" = a foreign table
            `table inet hostfw { chain input { type filter hook input priority 10; policy accept; ct state established accept } }`
            installed before the sessions were opened, so conntrack was tracking them.

            Reading it:
            - A new outbound TCP connection to anything not allowed is refused by the output chain's local reset
              (`Refused`, a few milliseconds at most), never left hanging; with `--no-reject` it is dropped silently
              instead. UDP to anything not allowed fails at `send` with EPERM. Nothing not allowed gets an answer inbound.
            - A collector or peer given with a port (`192.0.2.11:443`) is TCP-only in both directions: the host reaches
              it on that port only, and it can reach the host only *from* that port (`tcp sport 443`), so its
              connection attempts from ephemeral ports are dropped. Give it without a port to allow both.
            - The conntrack note holds on the wire: without a stateful firewall before, a session to another peer is
              cut in keep mode too (its next segment is "new" and gets the reset); with one, keep mode keeps it and
              strict mode cuts it. Collector sessions survive in every case.
            - The forward chain has no exceptions: routed container traffic stops even towards the collector.
            - Only the isolation table is added and removed: a foreign table and the whole `nft list ruleset` are
              byte-identical after unisolate, and every flow works again.
            """);
        text.AppendLine();
        text.Append("| Group | Flow | Expected |");
        foreach (var (mode, variant) in columns)
        {
            text.Append(CultureInfo.InvariantCulture, $" {Name(mode)}: {Name(variant)} |");
        }

        text.AppendLine();
        text.Append("|---|---|---|");
        text.AppendLine(string.Concat(Enumerable.Repeat("---|", columns.Length)));
        var rows = records
            .GroupBy(r => (r.Group, r.Flow))
            .OrderBy(g => g.Key.Group, StringComparer.Ordinal)
            .ThenBy(g => g.Average(r => r.Position))
            .ThenBy(g => g.Min(r => r.Order));
        string? lastGroup = null;
        foreach (var row in rows)
        {
            var group = row.Key.Group == lastGroup ? string.Empty : row.Key.Group;
            lastGroup = row.Key.Group;
            text.Append(CultureInfo.InvariantCulture, $"| {group} | {row.Key.Flow} | {ExpectedText(row)} |");
            foreach (var (mode, variant) in columns)
            {
                var cell = row.Where(r => r.Mode == mode && r.Variant == variant).ToList();
                text.Append(' ').Append(cell.Count == 0 ? "—" : string.Join("; ", cell.Select(Cell))).Append(" |");
            }

            text.AppendLine();
        }

        text.AppendLine("<!-- wire-matrix:end -->");
        return text.ToString();
    }

    private static string ExpectedText(IEnumerable<WireRecord> row)
    {
        var byMode = row.GroupBy(r => r.Mode).OrderBy(g => g.Key).Select(g => (g.Key, Expected: g.First().Expected)).ToList();
        return byMode.Select(m => m.Expected).Distinct().Count() == 1
            ? Describe(byMode[0].Expected)
            : string.Join(" · ", byMode.Select(m => $"{Name(m.Key)}: {Describe(m.Expected)}"));
    }

    private static string Cell(WireRecord record) =>
        string.Create(CultureInfo.InvariantCulture, $"{(record.Passed ? "✅" : "❌")} {record.Outcome} {Format(record.Elapsed)}");

    private static string Format(TimeSpan elapsed) => elapsed.TotalMilliseconds switch
    {
        < 10 => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.00} ms"),
        < 100 => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0.0} ms"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalMilliseconds:0} ms"),
    };

    private static string Describe(Expect expect) => expect switch
    {
        Expect.Works => "works",
        Expect.Reset => "reset at once",
        Expect.Silent => "nothing back",
        Expect.Fails => "fails",
        _ => expect.ToString(),
    };

    private static string Name(IsolationMode mode) => mode == IsolationMode.Keep ? "keep" : "strict";

    private static string Name(IsolationVariant variant) => variant switch
    {
        IsolationVariant.Outside => "outside",
        IsolationVariant.Inside => "inside",
        _ => "CLI",
    };
}
