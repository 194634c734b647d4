namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>How a TCP connection attempt ended.</summary>
internal enum ProbeOutcome
{
    /// <summary>The handshake completed.</summary>
    Connected,

    /// <summary>A TCP reset came back (ECONNREFUSED): what the isolation's reject rule sends.</summary>
    Refused,

    /// <summary>Nothing came back before the timeout: dropped.</summary>
    NoAnswer,

    /// <summary>Any other error (unreachable, permission denied by a local firewall, …).</summary>
    Failed,
}
