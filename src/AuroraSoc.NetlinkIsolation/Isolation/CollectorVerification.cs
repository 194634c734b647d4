using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Proves the isolated namespace can still reach a collector (<c>--verify-collector</c>): a TCP connection to every
/// collector that has a port, all at once, each bounded by one timeout. The sockets come from a factory so that the
/// caller decides which network namespace they belong to (a socket keeps the namespace it was created in).
/// </summary>
internal static class CollectorVerification
{
    /// <summary>The default bound on the attempts (cli.md: <c>--verify-timeout</c>, default 5 s).</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The collectors a connection can be tried to: those with a port and a single address (a prefix names a
    /// network, not a host to connect to).
    /// </summary>
    public static IReadOnlyList<Endpoint> Targets(IsolationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        return [.. policy.Collectors.Where(c => c.Port is not null && !c.HasPrefix)];
    }

    /// <summary>
    /// Throws <see cref="PolicyValidationException"/> (field <c>verify-collector</c>) when <paramref name="policy"/>
    /// has no collector to connect to, or when <paramref name="timeout"/> is not positive; both before anything changes.
    /// </summary>
    public static void Validate(IsolationPolicy policy, TimeSpan timeout)
    {
        if (Targets(policy).Count == 0)
        {
            throw new PolicyValidationException("verify-collector", null, "needs at least one collector with a single address and a port (ADDRESS:PORT or NAME:PORT) to connect to");
        }

        if (timeout <= TimeSpan.Zero || timeout > TimeSpan.FromHours(1))
        {
            throw new PolicyValidationException("verify-timeout", timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture), "must be more than 0 and at most 3600 seconds");
        }
    }

    /// <summary>
    /// Connects to every target at once and waits until each attempt has connected, failed, or reached
    /// <paramref name="timeout"/>. Every attempt is reported, in the order given; each connection is closed at once.
    /// </summary>
    /// <param name="targets">Collectors with a port.</param>
    /// <param name="timeout">The bound on every attempt; they all run at the same time, so also on the whole call.</param>
    /// <param name="createSocket">Creates an unconnected TCP socket of the family, in the namespace to test from; an
    /// <see cref="IOException"/> from it fails that one attempt.</param>
    public static IReadOnlyList<CollectorCheck> Run(IReadOnlyList<Endpoint> targets, TimeSpan timeout, Func<AddressFamily, Socket> createSocket)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(createSocket);
        using var deadline = new CancellationTokenSource(timeout);
        Task<CollectorCheck>[] attempts = [.. targets.Select(target => AttemptAsync(target, timeout, createSocket, deadline.Token))];

        // Each attempt catches its own failures and the shared deadline ends every one of them.
        Task.WaitAll(attempts);
        return [.. attempts.Select(a => a.Result)];
    }

    /// <summary>"192.0.2.10:6514 connection refused; [2001:db8::10]:443 timed out after 5000 ms".</summary>
    public static string DescribeFailures(IEnumerable<CollectorCheck> checks) => string.Join("; ", checks.Where(c => !c.Ok));

    private static async Task<CollectorCheck> AttemptAsync(Endpoint target, TimeSpan timeout, Func<AddressFamily, Socket> createSocket, CancellationToken deadline)
    {
        long started = Stopwatch.GetTimestamp();
        try
        {
            using Socket socket = createSocket(target.Address.AddressFamily);
            await socket.ConnectAsync(new IPEndPoint(target.Address, target.Port!.Value), deadline).ConfigureAwait(false);
            return new CollectorCheck(target, true, Elapsed(started), null);
        }
        catch (OperationCanceledException)
        {
            return new CollectorCheck(target, false, Elapsed(started), $"timed out after {(long)timeout.TotalMilliseconds} ms");
        }
        catch (SocketException exception)
        {
            return new CollectorCheck(target, false, Elapsed(started), Describe(exception.SocketErrorCode));
        }
        catch (IOException exception)
        {
            return new CollectorCheck(target, false, Elapsed(started), exception.Message);
        }
    }

    private static long Elapsed(long started) => (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds;

    private static string Describe(SocketError error) => error switch
    {
        SocketError.ConnectionRefused => "connection refused",
        SocketError.ConnectionReset => "connection reset",
        SocketError.TimedOut => "timed out",
        SocketError.HostUnreachable => "host unreachable",
        SocketError.NetworkUnreachable => "network unreachable",
        SocketError.AccessDenied => "refused by the local firewall",
        SocketError.AddressNotAvailable => "no local address to connect from",
        _ => error.ToString(),
    };
}
