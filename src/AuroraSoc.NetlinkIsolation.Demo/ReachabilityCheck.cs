using System.Net;
using AuroraSoc.NetlinkIsolation.Testing.Namespaces;
using AuroraSoc.NetlinkIsolation.Testing.Wire;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>One row of the before/after table: a TCP connect from <see cref="From"/> (sent from
/// <see cref="Source"/> when the namespace holds several machines' addresses) that must work before and after, and
/// end as <see cref="WhileIsolated"/> while the host is isolated.</summary>
internal sealed record ReachabilityCheck(string Description, ThrowawayNamespace From, IPAddress? Source, IPEndPoint To, TcpConnectOutcome WhileIsolated)
{
    /// <summary>Blocked probes wait this long for an answer that never comes.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    public TcpConnectResult Probe() => NamespaceSockets.TcpConnect(From, To.Address, To.Port, Timeout, Source);
}
