using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.SockDiag;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Strict mode's second half: the ruleset stops new packets of disallowed flows, but a program whose connection is
/// idle would only notice when it next sends and its retransmissions time out, minutes later. Destroying those
/// sockets makes the kernel abort them at once — the program's next call fails with ECONNABORTED, its peer gets a
/// reset — so a reverse shell dies when the host is isolated instead of hanging.
/// </summary>
internal static class SessionCutting
{
    /// <summary>
    /// Lists the established TCP sockets (IPv4 and IPv6) of the namespace at <paramref name="namespacePath"/> (null:
    /// this process's) and destroys every one whose remote end <paramref name="policy"/> does not allow
    /// (<see cref="AllowedConnections"/>). A kernel that cannot list or destroy sockets gives a warning, not a failure:
    /// the isolation is in force either way.
    /// </summary>
    public static SessionCutResult Cut(string? namespacePath, IsolationPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        try
        {
            using SockDiagConnection connection = SockDiagConnection.Open(namespacePath);
            return Cut(connection, new AllowedConnections(policy), policy.Mode == IsolationMode.Strict, AgentSockets.Of(policy));
        }
        catch (NetlinkException exception) when (exception.Kind == NetlinkErrorKind.ProtocolUnavailable)
        {
            return new SessionCutResult(0, 0, $"open connections were not cut: this kernel has no socket monitoring (NETLINK_SOCK_DIAG: {Errno.Name(exception.Errno)})");
        }
        catch (NetlinkException exception)
        {
            return new SessionCutResult(0, 0, $"open connections were not cut: {exception.Message}");
        }
    }

    private static SessionCutResult Cut(SockDiagConnection connection, AllowedConnections allowed, bool strict, AgentSockets? agents)
    {
        var established = new List<InetDiagSocket>();
        foreach (byte family in (ReadOnlySpan<byte>)[SockDiagConstants.AF_INET, SockDiagConstants.AF_INET6])
        {
            try
            {
                established.AddRange(connection.DumpEstablishedTcp(family));
            }
            catch (NetlinkException exception) when (exception.Errno is Errno.ENOENT or Errno.EOPNOTSUPP)
            {
                // sock_diag answers ENOENT when no handler serves the family (inet_diag / tcp_diag not built).
                return new SessionCutResult(established.Count, 0, $"open connections were not cut: this kernel cannot list TCP sockets (inet_diag: {Errno.Name(exception.Errno)})");
            }
        }

        // Strict: whatever the policy does not allow. With agent identities, in either mode: a collector session that
        // is not proven the agent's (an attacker's session to the collector would otherwise live on).
        List<InetDiagSocket> disallowed = established.FindAll(s =>
            (strict && !allowed.Allows(s.Local, s.Remote)) || (agents is not null && allowed.IsCollector(s.Remote) && !agents.Owns(s)));
        IReadOnlyList<DestroyFailure> failures = connection.Destroy(disallowed);

        // ENOENT: the connection closed by itself between the dump and the destroy; it is gone, as intended, but
        // was not cut by us.
        var refused = new List<string>();
        bool destroyUnsupported = false;
        foreach (DestroyFailure failure in failures)
        {
            if (failure.Errno != Errno.ENOENT)
            {
                refused.Add($"{failure.Socket.Local} -> {failure.Socket.Remote} {Errno.Name(failure.Errno)}");
                destroyUnsupported |= failure.Errno == Errno.EOPNOTSUPP;
            }
        }

        int destroyed = disallowed.Count - failures.Count;
        if (refused.Count == 0)
        {
            return new SessionCutResult(established.Count, destroyed, null);
        }

        string warning = destroyUnsupported
            ? $"{refused.Count} open connection(s) were not cut: this kernel cannot destroy sockets (CONFIG_INET_DIAG_DESTROY is off); they stay open until they next send, and then fail"
            : $"{refused.Count} open connection(s) were not cut: " + string.Join("; ", refused);
        return new SessionCutResult(established.Count, destroyed, warning);
    }
}
