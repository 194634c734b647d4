using System.Net;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>One row of the before/after table: a TCP connect that must work before and after, and end as
/// <see cref="WhileIsolated"/> while the host is isolated.</summary>
internal sealed record ReachabilityCheck(string Description, DemoNamespace From, IPEndPoint To, ProbeOutcome WhileIsolated)
{
    /// <summary>Blocked probes wait this long for an answer that never comes.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(1.5);

    public TcpProbe Probe() => TcpProbe.Connect(From, To, Timeout);
}
