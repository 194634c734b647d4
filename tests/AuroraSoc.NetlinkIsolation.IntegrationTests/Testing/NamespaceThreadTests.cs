namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class NamespaceThreadTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    public void Dispose() => guard.AssertUnchanged();

    [Fact]
    public void Invoke_StartingAProcess_ChildRunsInTheNamespace()
    {
        using var ns = ThrowawayNamespace.Create("namespace thread child test");
        using var thread = new NamespaceThread(ns.Path);

        string child = thread.Invoke(() => ProcessRunner.Run("readlink", "/proc/self/ns/net").EnsureSuccess().StandardOutput.Trim());

        Assert.Equal(NetworkNamespaceInode.Format(ns.Inode), child);
    }

    [Fact]
    public void Invoke_Twice_RunsOnTheSameThreadInsideTheNamespace()
    {
        using var ns = ThrowawayNamespace.Create("namespace thread reuse test");
        using var thread = new NamespaceThread(ns.Path);

        (int first, ulong firstInode) = thread.Invoke(() => (Environment.CurrentManagedThreadId, NetworkNamespaceInode.OfCurrentThread()));
        (int second, ulong secondInode) = thread.Invoke(() => (Environment.CurrentManagedThreadId, NetworkNamespaceInode.OfCurrentThread()));

        Assert.Equal(first, second);
        Assert.Equal(ns.Inode, firstInode);
        Assert.Equal(ns.Inode, secondInode);
    }

    [Fact]
    public void Run_PathThatIsNotANamespace_ThrowsNamingTheErrno()
    {
        string file = Path.GetTempFileName();
        try
        {
            var thrown = Assert.Throws<IOException>(() => NamespaceThread.Run(file, () => 0));

            Assert.Contains("EINVAL", thrown.Message, StringComparison.Ordinal);
            Assert.Contains(file, thrown.Message, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
