namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>
/// An assembly fixture (<c>[assembly: AssemblyFixture(typeof(NamespaceLeakSweeper))]</c> in each test assembly that
/// creates namespaces): when the run ends, deletes every namespace this process created and did not dispose (a test
/// that forgot <c>using</c>), so <c>ip netns list</c> is clean after the run without waiting for process exit.
/// </summary>
public sealed class NamespaceLeakSweeper : IDisposable
{
    /// <summary>Names cleaned up at the end of the run (empty when every test disposed its namespaces).</summary>
    public IReadOnlyList<string> Cleaned { get; private set; } = [];

    public void Dispose() => Cleaned = ThrowawayNamespace.DisposeAllOwned();
}
