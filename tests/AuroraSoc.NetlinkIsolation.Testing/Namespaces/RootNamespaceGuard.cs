namespace AuroraSoc.NetlinkIsolation.Testing.Namespaces;

/// <summary>
/// Class fixture: snapshots the machine's namespace when a test class starts. Test classes call
/// <see cref="AssertUnchanged"/> after each test (from <c>Dispose</c>), and the fixture checks once more when the
/// class ends.
/// </summary>
public sealed class RootNamespaceGuard : IDisposable
{
    public RootNamespaceGuard()
    {
        Before = RootNamespaceSnapshot.Capture();
    }

    public RootNamespaceSnapshot Before { get; }

    /// <summary>Fails the current test when the machine's namespace differs from the class-start snapshot.</summary>
    public void AssertUnchanged() => Before.AssertUnchangedIn(RootNamespaceSnapshot.Capture());

    public void Dispose() => AssertUnchanged();
}
