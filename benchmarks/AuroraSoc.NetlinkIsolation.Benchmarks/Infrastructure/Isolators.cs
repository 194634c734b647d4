using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

internal static class Isolators
{
    /// <summary>
    /// The only way the benchmarks open the library: always with the throwaway namespace's path, never
    /// <c>HostIsolator.Open()</c> without one (that would be this machine's own firewall).
    /// </summary>
    public static HostIsolator OpenIn(ThrowawayNamespace target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return HostIsolator.Open(target.Path);
    }
}
