namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>
/// Class fixture sharing one <see cref="Topology"/> between the tests of a class. The topology is built on first
/// use inside a test (so a missing requirement skips or fails that test, rather than breaking the fixture) and
/// deleted when the class ends. Tests that change the topology (isolate Host, add rules) should build their own.
/// </summary>
public sealed class TopologyFixture : IDisposable
{
    private readonly Lazy<Topology> topology = new(() => Topology.Create());

    public Topology Topology => topology.Value;

    public void Dispose()
    {
        if (topology.IsValueCreated)
        {
            topology.Value.Dispose();
        }
    }
}
