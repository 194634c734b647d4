using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>TryOpenInNamespace and ProbeNamespace against real namespace files.</summary>
public class NetlinkSocketNamespaceTests
{
    // Each case is a path that is not a network namespace and the errno documented for it: open(2)'s error when the
    // path cannot be opened, else EINVAL, as setns(2) gives for any file that is not a network namespace.
    public static TheoryData<string, int> NotANetworkNamespace => new()
    {
        { "missing", Errno.ENOENT },
        { "regular-file", Errno.EINVAL },
        { "directory", Errno.EINVAL },
        { "fifo", Errno.EINVAL },
        { "mount-namespace", Errno.EINVAL },
    };

    [Theory]
    [MemberData(nameof(NotANetworkNamespace))]
    public async Task TryOpenInNamespace_PathNotANetworkNamespace_ReturnsDocumentedErrno(string kind, int expected)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var paths = await NotANetworkNamespacePaths.CreateAsync(cancellationToken);

        // Bounded: a FIFO must not block the open (the library opens with O_NONBLOCK).
        (int error, NetlinkSocket? socket) = await Task.Run(
            () => (NetlinkSocket.TryOpenInNamespace(paths.Get(kind), 0, out NetlinkSocket? opened), opened), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

        Assert.Null(socket);
        Assert.Equal(Errno.Name(expected), Errno.Name(error));
    }

    [Theory]
    [MemberData(nameof(NotANetworkNamespace))]
    public async Task ProbeNamespace_PathNotANetworkNamespace_ReturnsDocumentedErrno(string kind, int expected)
    {
        CancellationToken cancellationToken = TestContext.Current.CancellationToken;
        using var paths = await NotANetworkNamespacePaths.CreateAsync(cancellationToken);

        int error = await Task.Run(() => NetlinkSocket.ProbeNamespace(paths.Get(kind)), cancellationToken)
            .WaitAsync(TimeSpan.FromSeconds(10), cancellationToken);

        Assert.Equal(Errno.Name(expected), Errno.Name(error));
    }

    [Theory]
    [InlineData("/proc/self/ns/net")]
    [InlineData("/proc/thread-self/ns/net")]
    public void ProbeNamespace_OwnNetworkNamespace_ReturnsZero(string path) =>
        Assert.Equal(0, NetlinkSocket.ProbeNamespace(path));

    [Fact]
    public void ProbeNamespace_NamedNamespace_ReturnsZero()
    {
        using var named = ThrowawayNamespace.Create("ProbeNamespace test");
        Assert.Equal(0, NetlinkSocket.ProbeNamespace(named.Path));
    }

    [Fact]
    public void TryOpenInNamespace_NamedNamespace_OpensSocketInThatNamespace()
    {
        using var named = ThrowawayNamespace.Create("TryOpenInNamespace test");

        int error = NetlinkSocket.TryOpenInNamespace(named.Path, 0, out NetlinkSocket? socket);
        Assert.True(error == 0, $"TryOpenInNamespace failed with {Errno.Name(error)}: {Errno.Describe(error)}");
        using (socket)
        {
            Assert.Equal(named.Inode, NetworkNamespaceInode.OfSocket(socket!.Handle));
            Assert.NotEqual(0u, socket.PortId);
            NfTablesRequests.AssertGetGenRoundTrip(socket, sequence: 3);
        }
    }

    [Fact]
    public void TryOpenInNamespace_NamedNamespace_LeavesCallingThreadNamespaceUnchanged()
    {
        using var named = ThrowawayNamespace.Create("TryOpenInNamespace thread test");

        ulong before = NetworkNamespaceInode.OfCurrentThread();
        int error = NetlinkSocket.TryOpenInNamespace(named.Path, 0, out NetlinkSocket? socket);
        ulong after = NetworkNamespaceInode.OfCurrentThread();
        using (socket)
        {
            Assert.Equal(0, error);
            Assert.Equal(before, after);
            Assert.NotEqual(before, NetworkNamespaceInode.OfSocket(socket!.Handle));
        }
    }

    /// <summary>One path of each kind that is not a network namespace.</summary>
    private sealed class NotANetworkNamespacePaths : IDisposable
    {
        private readonly DirectoryInfo _directory;

        private NotANetworkNamespacePaths(DirectoryInfo directory) => _directory = directory;

        public static async Task<NotANetworkNamespacePaths> CreateAsync(CancellationToken cancellationToken)
        {
            var paths = new NotANetworkNamespacePaths(Directory.CreateTempSubdirectory("aurorasoc-interop-ns-"));
            await File.WriteAllTextAsync(paths.Get("regular-file"), "not a namespace", cancellationToken);
            Directory.CreateDirectory(paths.Get("directory"));
            ProcessRunner.Run("mkfifo", paths.Get("fifo")).EnsureSuccess();
            return paths;
        }

        public string Get(string kind) => kind switch
        {
            "mount-namespace" => "/proc/self/ns/mnt",
            _ => Path.Combine(_directory.FullName, kind),
        };

        public void Dispose() => _directory.Delete(recursive: true);
    }
}
