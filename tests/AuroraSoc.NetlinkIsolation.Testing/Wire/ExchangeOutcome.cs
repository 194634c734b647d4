namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>How a request/response exchange over UDP or an open TCP connection ended.</summary>
public enum ExchangeOutcome
{
    /// <summary>The full reply arrived.</summary>
    Replied,

    /// <summary>No (complete) reply within the timeout.</summary>
    TimedOut,

    /// <summary>ECONNREFUSED (UDP: ICMP port unreachable) or ECONNRESET (TCP: a reset, e.g. from a reject rule).</summary>
    Refused,

    /// <summary>The peer closed the connection before replying (TCP only).</summary>
    Closed,

    /// <summary>EHOSTUNREACH / ENETUNREACH.</summary>
    Unreachable,

    /// <summary>EPERM / EACCES from the local stack (a local firewall dropped the packet on output).</summary>
    Denied,

    /// <summary>Any other socket error.</summary>
    Failed,
}
