using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

internal static class Isolators
{
    /// <summary>The benchmarks' namespaces are <c>aurorasoc-bench-PID-N</c>, apart from the tests' own.</summary>
    public const string NamespacePrefix = "aurorasoc-bench-";

    /// <summary>A throwaway namespace for <paramref name="purpose"/>.</summary>
    public static ThrowawayNamespace CreateNamespace(string purpose) => ThrowawayNamespace.Create(purpose, NamespacePrefix);

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
