using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Testing;

public sealed class ThrowawayNamespaceTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private const string SampleTable =
        """
        table inet aurorasoc_infra_test {
        	chain input {
        		type filter hook input priority filter; policy accept;
        		iif "lo" accept
        		ip saddr 192.0.2.10 tcp sport 443 accept
        	}
        }

        """;

    public void Dispose() => guard.AssertUnchanged();

    [Fact]
    public void Create_ThenDispose_LeavesNoNetnsEntry()
    {
        string name;
        using (var ns = ThrowawayNamespace.Create("create/dispose test"))
        {
            name = ns.Name;
            Assert.StartsWith($"aurorasoc-t-{Environment.ProcessId}-", name, StringComparison.Ordinal);
            Assert.Equal($"/run/netns/{name}", ns.Path);
            Assert.True(File.Exists(ns.Path));
            Assert.Contains(name, IpNetnsList());
        }

        Assert.DoesNotContain(name, IpNetnsList());
        Assert.False(File.Exists($"/run/netns/{name}"));
    }

    [Fact]
    public void Create_TwoNamespaces_GetDistinctNamesAndInodes()
    {
        using var first = ThrowawayNamespace.Create("distinct a");
        using var second = ThrowawayNamespace.Create("distinct b");

        Assert.NotEqual(first.Name, second.Name);
        Assert.NotEqual(first.Inode, second.Inode);
    }

    [Theory]
    [InlineData("aurorasoc-t")]
    [InlineData("aurorasoc-7-")]
    [InlineData("Aurora-")]
    public void Create_PrefixThatCouldBeMistakenForAPid_IsRefused(string prefix)
    {
        var thrown = Assert.Throws<ArgumentException>(() => ThrowawayNamespace.Create("bad prefix test", prefix));

        Assert.Equal("prefix", thrown.ParamName);
    }

    [Fact]
    public void CreateMany_ThreeWithAPrefix_AreDistinctNamedWithItAndHaveLoopbackUp()
    {
        ThrowawayNamespace[] created = ThrowawayNamespace.CreateMany(3, "create many test", "aurorasoc-tmany-");
        try
        {
            Assert.All(created, ns => Assert.StartsWith($"aurorasoc-tmany-{Environment.ProcessId}-", ns.Name, StringComparison.Ordinal));
            Assert.Equal(3, created.Select(ns => ns.Inode).Distinct().Count());
            Assert.All(created, ns => Assert.Contains("<LOOPBACK,UP,LOWER_UP>", ns.Ip("-o", "link", "show", "lo"), StringComparison.Ordinal));
        }
        finally
        {
            ThrowawayNamespace.DisposeAll(created);
        }

        Assert.All(created, ns => Assert.DoesNotContain(ns.Name, IpNetnsList()));
    }

    [Fact]
    public void Exec_IpLink_ShowsOnlyLoopbackAndItIsUp()
    {
        using var ns = ThrowawayNamespace.Create("exec test");

        var links = ns.Exec("ip", "-o", "link", "show").EnsureSuccess().StandardOutput;

        var lines = links.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var only = Assert.Single(lines);
        Assert.StartsWith("1: lo: <LOOPBACK,UP,LOWER_UP>", only, StringComparison.Ordinal);
    }

    [Fact]
    public void Exec_ReadlinkOwnNetns_ReportsTheNamespaceInode()
    {
        using var ns = ThrowawayNamespace.Create("exec inode test");

        var link = ns.Exec("readlink", "/proc/self/ns/net").EnsureSuccess().StandardOutput.Trim();

        Assert.Equal(string.Create(CultureInfo.InvariantCulture, $"net:[{ns.Inode}]"), link);
    }

    [Fact]
    public void RunInside_FromTestThread_SeesDifferentNetnsInode()
    {
        using var ns = ThrowawayNamespace.Create("runinside inode test");
        var outside = NetworkNamespaceInode.OfCurrentThread();

        var inside = ns.RunInside(NetworkNamespaceInode.OfCurrentThread);

        Assert.NotEqual(outside, inside);
        Assert.Equal(ns.Inode, inside);
        Assert.Equal(NetworkNamespaceInode.OfProcess(), NetworkNamespaceInode.OfCurrentThread());
    }

    [Fact]
    public void RunInside_Always_UsesAFreshThreadThatEnds()
    {
        using var ns = ThrowawayNamespace.Create("runinside thread test");
        var caller = Environment.CurrentManagedThreadId;

        var (thread, poolThread) = ns.RunInside(() => (Thread.CurrentThread, Thread.CurrentThread.IsThreadPoolThread));

        Assert.NotEqual(caller, thread.ManagedThreadId);
        Assert.False(poolThread);
        Assert.True(thread.Join(TimeSpan.FromSeconds(5)), "the namespace thread is still alive");
    }

    [Fact]
    public void RunInside_ThrowingDelegate_PropagatesTheException()
    {
        using var ns = ThrowawayNamespace.Create("runinside exception test");

        var thrown = Assert.Throws<InvalidOperationException>(() => ns.RunInside<int>(() => throw new InvalidOperationException("boom inside")));

        Assert.Equal("boom inside", thrown.Message);
    }

    [Fact]
    public async Task RunInsideAsync_TwoNamespacesAtOnce_EachSeesItsOwnInode()
    {
        using var first = ThrowawayNamespace.Create("async a");
        using var second = ThrowawayNamespace.Create("async b");

        var a = first.RunInsideAsync(NetworkNamespaceInode.OfCurrentThread);
        var b = second.RunInsideAsync(NetworkNamespaceInode.OfCurrentThread);

        Assert.Equal(first.Inode, await a);
        Assert.Equal(second.Inode, await b);
    }

    [Fact]
    public void RunInside_SocketBoundToNamespaceOnlyAddress_BelongsToThatNamespace()
    {
        using var ns = ThrowawayNamespace.Create("socket ownership test");
        ns.Ip("addr", "add", "203.0.113.77/32", "dev", "lo");
        var address = IPAddress.Parse("203.0.113.77");

        // Created inside: the bind succeeds because the address exists only in that namespace.
        using var inside = ns.RunInside(() =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(address, 0));
            socket.Listen();
            return socket;
        });

        // Created on the test thread (the machine's namespace): the same bind fails — and changes nothing.
        using var outside = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var refused = Assert.Throws<SocketException>(() => outside.Bind(new IPEndPoint(address, 0)));
        Assert.Equal(SocketError.AddressNotAvailable, refused.SocketErrorCode);

        // The socket keeps its namespace when used from another thread: connect to it from inside, accept here.
        var port = ((IPEndPoint)inside.LocalEndPoint!).Port;
        using var client = NamespaceSockets.TcpOpen(ns, address, port, TimeSpan.FromSeconds(5));
        using var accepted = inside.Accept();
        Assert.Equal(client.LocalEndPoint, accepted.RemoteEndPoint);
    }

    [Fact]
    public void ApplyNftRuleset_ThenListTable_PrintsTheTableExactlyAndOnlyInside()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("nft round trip test");
        Assert.Equal(string.Empty, ns.ListRuleset());

        ns.ApplyNftRuleset(SampleTable);

        Assert.Equal(SampleTable, ns.ListTable("inet", "aurorasoc_infra_test"));
        Assert.Equal(SampleTable, ns.ListRuleset());
        Assert.Contains("aurorasoc_infra_test", ns.Nft("list tables"), StringComparison.Ordinal);
    }

    [Fact]
    public void Nft_FailingCommand_ThrowsWithStderr()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("nft failure test");

        var thrown = Assert.Throws<ProcessFailedException>(() => ns.Nft("list table inet does_not_exist"));

        Assert.Contains("No such file or directory", thrown.Message, StringComparison.Ordinal);
        Assert.Contains(ns.Name, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NftTry_FailingCommand_ReturnsNonZeroWithStderr()
    {
        Requirements.RequireNfTables();
        using var ns = ThrowawayNamespace.Create("nfttry failure test");

        var result = ns.NftTry("add rule inet nope nope accept");

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("Error", result.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public void Dispose_WithProcessRunningInside_KillsItAndDeletesTheNamespace()
    {
        var ns = ThrowawayNamespace.Create("dispose kills processes test");
        using var sleeper = ProcessRunner.StartBackground("ip", "netns", "exec", ns.Name, "sleep", "300");
        Assert.True(
            SpinWait.SpinUntil(() => ns.Exec("ip", "netns", "identify", sleeper.Id.ToString(CultureInfo.InvariantCulture)).StandardOutput.Trim() == ns.Name, TimeSpan.FromSeconds(5)),
            "the sleeper never entered the namespace");

        ns.Dispose();

        Assert.NotNull(sleeper.WaitForExit(TimeSpan.FromSeconds(5)));
        Assert.DoesNotContain(ns.Name, IpNetnsList());
    }

    [Fact]
    public void Dispose_CalledTwice_DoesNotThrow()
    {
        var ns = ThrowawayNamespace.Create("double dispose test");

        ns.Dispose();
        ns.Dispose();

        Assert.True(ns.IsDisposed);
        Assert.Throws<ObjectDisposedException>(() => ns.Exec("true"));
    }

    [Fact]
    public void SweepStale_NamespaceOfDeadPid_DeletesIt()
    {
        // Creating one first guarantees the once-per-process sweep has already run and cannot race this test.
        using var anchor = ThrowawayNamespace.Create("sweep stale anchor");
        var deadPid = FindUnusedPid();
        var stale = string.Create(CultureInfo.InvariantCulture, $"aurorasoc-t-{deadPid}-sweeptest");
        ProcessRunner.Run("ip", "netns", "add", stale).EnsureSuccess();
        try
        {
            var deleted = ThrowawayNamespace.SweepStale();

            Assert.Contains(stale, deleted);
            Assert.DoesNotContain(stale, IpNetnsList());
        }
        finally
        {
            ThrowawayNamespace.DeleteNamed(stale);
        }
    }

    [Fact]
    public void SweepStale_NamespaceOfLiveProcess_KeepsIt()
    {
        using var ns = ThrowawayNamespace.Create("sweep keeps live test");

        var deleted = ThrowawayNamespace.SweepStale();

        Assert.DoesNotContain(ns.Name, deleted);
        Assert.Contains(ns.Name, IpNetnsList());
    }

    private static List<string> IpNetnsList() =>
        [.. ProcessRunner.Run("ip", "netns", "list").EnsureSuccess().StandardOutput
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split(' ')[0])];

    private static int FindUnusedPid()
    {
        var max = int.Parse(File.ReadAllText("/proc/sys/kernel/pid_max").Trim(), CultureInfo.InvariantCulture);
        for (var pid = max - 1; pid > 1000; pid--)
        {
            if (!Directory.Exists($"/proc/{pid}"))
            {
                return pid;
            }
        }

        throw new InvalidOperationException("no unused pid found");
    }
}
