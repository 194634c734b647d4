using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>
/// Runs probes for one test: measures each, checks it against what it must show, records it for the matrix
/// (unless <see cref="Recording"/> is off, as for the baselines before isolating) and collects every mismatch, so
/// one run reports all the flows that misbehaved instead of only the first. No timing is asserted anywhere; the
/// only time limits are the probes' own bounds.
/// </summary>
internal sealed class WireProbe(IsolationVariant variant, IsolationMode mode, string group)
{
    /// <summary>Bound for probes that must fail: a dropped SYN or datagram times out here, a reset is immediate.</summary>
    public static readonly TimeSpan FailBound = TimeSpan.FromMilliseconds(600);

    /// <summary>Bound for probes that must work (room for neighbour discovery after a flush).</summary>
    public static readonly TimeSpan WorkBound = TimeSpan.FromSeconds(3);

    private static readonly byte[] Payload = "aurorasoc wire probe"u8.ToArray();

    private readonly List<string> mismatches = [];
    private int position;

    /// <summary>Set on the helpers of <see cref="Concurrently"/>: checks are queued and replayed in order.</summary>
    private List<PendingCheck>? deferred;

    /// <summary>Whether probes go into the matrix; off for baselines (they are still checked).</summary>
    public bool Recording { get; set; } = true;

    public IsolationVariant Variant => variant;

    public IsolationMode Mode => mode;

    public static TimeSpan BoundFor(Expect expect) => expect == Expect.Works ? WorkBound : FailBound;

    /// <summary>A new TCP connection (connect only).</summary>
    public TcpConnectResult Tcp(string flow, ThrowawayNamespace from, IPAddress to, int port, Expect expect, IPAddress? source = null)
    {
        var result = NamespaceSockets.TcpConnect(from, to, port, BoundFor(expect), source);
        Check(flow, expect, result.Outcome.ToString(), result.Elapsed, result.Outcome switch
        {
            TcpConnectOutcome.Connected => Expect.Works,
            TcpConnectOutcome.Refused => Expect.Reset,
            TcpConnectOutcome.TimedOut => Expect.Silent,
            _ => Expect.Fails,
        }, result.SocketError);
        return result;
    }

    /// <summary>A new TCP connection that sends a payload and waits for the echo (DNS over TCP).</summary>
    public void TcpExchange(string flow, ThrowawayNamespace from, IPAddress to, int port, byte[] payload, Expect expect)
    {
        var bound = BoundFor(expect);
        var clock = Stopwatch.StartNew();
        NamespaceTcpConnection connection;
        try
        {
            connection = NamespaceSockets.TcpOpen(from, to, port, bound);
        }
        catch (TimeoutException)
        {
            Check(flow, expect, nameof(TcpConnectOutcome.TimedOut), clock.Elapsed, Expect.Silent, SocketError.TimedOut);
            return;
        }
        catch (SocketException ex)
        {
            var shown = ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.ConnectionReset ? Expect.Reset : Expect.Fails;
            Check(flow, expect, NamespaceSockets.Classify(ex.SocketErrorCode).ToString(), clock.Elapsed, shown, ex.SocketErrorCode);
            return;
        }

        using (connection)
        {
            var exchange = connection.Exchange(payload, bound);
            Check(flow, expect, exchange.Outcome.ToString(), clock.Elapsed, Shown(exchange), exchange.SocketError);
        }
    }

    /// <summary>One UDP datagram out, one back (echo or DNS-like).</summary>
    public ExchangeResult Udp(string flow, ThrowawayNamespace from, IPAddress to, int port, Expect expect, IPAddress? source = null, byte[]? payload = null)
    {
        var result = NamespaceSockets.UdpSendReceive(from, to, port, payload ?? Payload, BoundFor(expect), source);
        Check(flow, expect, result.Outcome.ToString(), result.Elapsed, Shown(result), result.SocketError);
        return result;
    }

    /// <summary>One round trip on a connection opened earlier.</summary>
    public void Session(string flow, NamespaceTcpConnection connection, Expect expect)
    {
        var result = connection.Exchange(Payload, BoundFor(expect));
        Check(flow, expect, result.Outcome.ToString(), result.Elapsed, Shown(result), result.SocketError);
    }

    /// <summary>A whole DHCP exchange.</summary>
    public void Dhcp(string flow, Func<TimeSpan, DhcpResult> exchange, Expect expect)
    {
        var result = exchange(BoundFor(expect));
        var shown = result.Outcome switch
        {
            DhcpOutcome.Leased or DhcpOutcome.Received => Expect.Works,
            DhcpOutcome.NoOffer => Expect.Silent,
            _ => Expect.Fails,
        };
        Check(flow, expect, result.Outcome.ToString(), result.Elapsed, shown, detail: result.Detail);
    }

    /// <summary>Records a check that is not a network probe (e.g. "foreign table unchanged").</summary>
    public void Fact(string flow, bool holds, string outcome, TimeSpan elapsed = default)
    {
        Check(flow, Expect.Works, outcome, elapsed, holds ? Expect.Works : Expect.Fails);
    }

    /// <summary>Runs probes at the same time, each on its own thread (not the pool: every probe blocks), and records
    /// their results in the order given. For probes that must time out, so their bounds overlap instead of adding up.</summary>
    public void Concurrently(params Action<WireProbe>[] probes)
    {
        ArgumentNullException.ThrowIfNull(probes);
        var helpers = probes.Select(_ => new WireProbe(variant, mode, group) { Recording = Recording, deferred = [] }).ToArray();
        var failures = new Exception?[probes.Length];
        var threads = probes.Select((probe, i) => new Thread(() =>
        {
            try
            {
                probe(helpers[i]);
            }
#pragma warning disable CA1031 // Rethrown on the test thread below.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures[i] = ex;
            }
        })
        {
            IsBackground = true,
            Name = $"wire probe {i}",
        }).ToArray();
        foreach (var thread in threads)
        {
            thread.Start();
        }

        foreach (var thread in threads)
        {
            thread.Join();
        }

        if (failures.FirstOrDefault(f => f is not null) is { } failure)
        {
            throw new InvalidOperationException("a concurrent probe threw", failure);
        }

        foreach (var pending in helpers.SelectMany(h => h.deferred!))
        {
            Check(pending.Flow, pending.Expect, pending.Outcome, pending.Elapsed, pending.Shown, pending.Error, pending.Detail);
        }
    }

    /// <summary>Fails the test with every mismatch seen so far.</summary>
    public void AssertAll()
    {
        if (mismatches.Count > 0)
        {
            Assert.Fail($"{mismatches.Count} flow(s) not as expected ({variant}, {mode}):\n" + string.Join("\n", mismatches));
        }
    }

    private static Expect Shown(ExchangeResult result) => result.Outcome switch
    {
        ExchangeOutcome.Replied => Expect.Works,
        ExchangeOutcome.Refused => Expect.Reset,
        ExchangeOutcome.TimedOut => Expect.Silent,
        _ => Expect.Fails,
    };

    private void Check(string flow, Expect expect, string outcome, TimeSpan elapsed, Expect shown, SocketError error = SocketError.Success, string detail = "")
    {
        if (deferred is not null)
        {
            deferred.Add(new PendingCheck(flow, expect, outcome, elapsed, shown, error, detail));
            return;
        }

        var passed = expect switch
        {
            Expect.Works => shown == Expect.Works,
            Expect.Fails => shown != Expect.Works,
            _ => shown == expect,
        };
        var line = $"{(passed ? "ok  " : "FAIL")} [{(Recording ? "isolated/after" : "baseline")}] {flow}: expected {expect}, got {outcome}"
            + (error == SocketError.Success ? string.Empty : $" ({error})")
            + (detail.Length == 0 ? string.Empty : $" {detail}")
            + $" in {elapsed.TotalMilliseconds:0.###} ms";
        TestContext.Current.TestOutputHelper?.WriteLine(line);
        if (!passed)
        {
            mismatches.Add(line);
        }

        if (Recording)
        {
            WireMatrixReport.Add(group, flow, variant, mode, expect, outcome, elapsed, passed, position++);
        }
    }

    private sealed record PendingCheck(string Flow, Expect Expect, string Outcome, TimeSpan Elapsed, Expect Shown, SocketError Error, string Detail);
}
