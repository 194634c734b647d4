using System.Globalization;
using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

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
        var targets = new List<Endpoint>();
        foreach (Endpoint collector in policy.Collectors)
        {
            if (collector.Port is not null && !collector.HasPrefix)
            {
                targets.Add(collector);
            }
        }

        return targets;
    }

    /// <summary>
    /// The uid and gid the probe sockets are created under: the first agent identity's (docs/ruleset.md: verify as the
    /// agent), or none without identities. A first identity that is a cgroup is probed by <see cref="AgentCgroupProbe"/>.
    /// </summary>
    public static (uint? Uid, uint? Gid) ProbeIdentity(IsolationPolicy policy)
    {
        if (policy.AgentIdentities.Count == 0)
        {
            return (null, null);
        }

        AgentIdentity first = policy.AgentIdentities[0];
        return first.KindCode == AgentIdentityKind.User ? ((uint)first.Id, null) : (null, (uint)first.Id);
    }

    /// <summary>
    /// Throws <see cref="PolicyValidationException"/> (field <c>verify-collector</c>) when <paramref name="policy"/>
    /// has no collector to connect to, or when <paramref name="timeout"/> is not positive; both before anything changes.
    /// </summary>
    public static void Validate(IsolationPolicy policy, TimeSpan timeout)
    {
        if (AgentCgroupProbe.Command is null && policy.AgentIdentities.Count > 0 && policy.AgentIdentities[0].KindCode == AgentIdentityKind.Cgroup)
        {
            // Probing as a cgroup needs a child process to place in it (AgentCgroupProbe), which only an executable has.
            throw new PolicyValidationException("verify-collector", null, "cannot probe as an agent cgroup without the aurorasoc-isolate executable; give an --agent-user or --agent-group first to verify as that identity");
        }

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
    /// <param name="createSocket">Creates an unconnected, non-blocking TCP socket of the family
    /// (<see cref="TcpConnector.TryCreateSocket"/>), in the namespace to test from; an <see cref="IOException"/> from it
    /// fails that one attempt.</param>
    public static IReadOnlyList<CollectorCheck> Run(IReadOnlyList<Endpoint> targets, TimeSpan timeout, Func<AddressFamily, SocketHandle> createSocket)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(createSocket);
        int count = targets.Count;
        var sockets = new SocketHandle?[count];
        var endpoints = new IPEndPoint[count];
        int[] outcomes = new int[count];
        long[] milliseconds = new long[count];
        string?[] failures = new string?[count];
        try
        {
            for (int i = 0; i < count; i++)
            {
                endpoints[i] = new IPEndPoint(targets[i].Address, targets[i].Port!.Value);
                try
                {
                    sockets[i] = createSocket(targets[i].Address.AddressFamily);
                }
                catch (IOException exception)
                {
                    failures[i] = exception.Message;
                }
            }

            // One poll loop waits for every handshake at once, bounded by the one deadline: no thread per attempt.
            TcpConnector.ConnectAll(sockets, endpoints, (int)Math.Ceiling(timeout.TotalMilliseconds), outcomes, milliseconds);
        }
        finally
        {
            foreach (SocketHandle? socket in sockets)
            {
                socket?.Dispose();
            }
        }

        var checks = new CollectorCheck[count];
        for (int i = 0; i < count; i++)
        {
            string? error = failures[i] ?? outcomes[i] switch
            {
                0 => null,
                int outcome when outcome == TcpConnector.DeadlinePassed => $"timed out after {(long)timeout.TotalMilliseconds} ms",
                _ => Describe(outcomes[i]),
            };
            checks[i] = new CollectorCheck(targets[i], error is null, milliseconds[i], error);
        }

        return checks;
    }

    /// <summary>An unconnected TCP socket created in <paramref name="namespacePath"/> (null: this namespace).</summary>
    /// <exception cref="IOException">The namespace cannot be entered or the socket cannot be created.</exception>
    public static SocketHandle CreateSocket(string? namespacePath, AddressFamily family)
    {
        int errno = namespacePath is null
            ? TcpConnector.TryCreateSocket(family, out SocketHandle? socket)
            : NetworkNamespaceSocket.TryCreateTcp(namespacePath, family, out socket);
        return errno == 0 && socket is not null
            ? socket
            : throw new IOException(namespacePath is null
                ? $"cannot create a socket to connect: {Errno.Name(errno)} ({Errno.Describe(errno)})"
                : $"cannot enter namespace {namespacePath} to connect: {Errno.Name(errno)} ({Errno.Describe(errno)})");
    }

    /// <summary>"192.0.2.10:6514 connection refused; [2001:db8::10]:443 timed out after 5000 ms".</summary>
    public static string DescribeFailures(IEnumerable<CollectorCheck> checks)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var failures = new List<CollectorCheck>();
        foreach (CollectorCheck check in checks)
        {
            if (!check.Ok)
            {
                failures.Add(check);
            }
        }

        return string.Join("; ", failures);
    }

    private static string Describe(int errno) => errno switch
    {
        Errno.ECONNREFUSED => "connection refused",
        Errno.ECONNRESET => "connection reset",
        Errno.ETIMEDOUT => "timed out",
        Errno.EHOSTUNREACH => "host unreachable",
        Errno.ENETUNREACH => "network unreachable",

        // A local nf_tables or iptables rule that drops an outgoing SYN makes connect(2) fail with EPERM.
        Errno.EPERM or Errno.EACCES => "refused by the local firewall",
        Errno.EADDRNOTAVAIL => "no local address to connect from",
        _ => $"{Errno.Name(errno)} ({Errno.Describe(errno)})",
    };
}
