using AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

[assembly: AssemblyFixture(typeof(NamespaceLeakSweeper))]

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

/// <summary>
/// Assembly fixture: when the test run ends, deletes every namespace this process created and did not dispose
/// (a test that forgot <c>using</c>), so <c>ip netns list</c> is clean after the run. Leftovers of crashed runs
/// are swept by <see cref="ThrowawayNamespace.SweepStale"/> on the first <see cref="ThrowawayNamespace.Create"/>.
/// </summary>
public sealed class NamespaceLeakSweeper : IDisposable
{
    /// <summary>Names cleaned up at the end of the run (empty when every test disposed its namespaces).</summary>
    public IReadOnlyList<string> Cleaned { get; private set; } = [];

    public void Dispose() => Cleaned = ThrowawayNamespace.DisposeAllOwned();
}
