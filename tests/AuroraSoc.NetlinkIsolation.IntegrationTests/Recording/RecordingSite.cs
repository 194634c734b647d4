using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Recording;

/// <summary>
/// A namespace to isolate (Host, 10.77.0.1) wired to a peer namespace (10.77.0.2 the collector, 10.77.0.3 a stranger),
/// IPv4 only — IPv6 is disabled before any interface exists, so the kernel sends no MLD or neighbour discovery that
/// would add packets the test did not send — and a jail the CLI runs in.
/// </summary>
internal sealed class RecordingSite : IDisposable
{
    public const string StateDirectoryPrefix = "aurorasoc-recording-";

    private readonly ThrowawayNamespace[] _namespaces;

    public RecordingSite()
    {
        Requirements.RequireNfTables();
        _namespaces = ThrowawayNamespace.CreateMany(3, "blocked-traffic recording");
        try
        {
            foreach (ThrowawayNamespace ns in new[] { Host, Peer })
            {
                ns.Sysctl("net.ipv6.conf.all.disable_ipv6=1", "net.ipv6.conf.default.disable_ipv6=1");
                ns.Ip("link", "set", "lo", "up");
            }

            Host.Ip("link", "add", "r-host", "type", "veth", "peer", "name", "r-peer", "netns", Peer.Name);
            Host.IpBatch("addr add 10.77.0.1/24 dev r-host\nlink set r-host up\nroute add default via 10.77.0.2\n");
            Peer.IpBatch("addr add 10.77.0.2/24 dev r-peer\naddr add 10.77.0.3/24 dev r-peer\nlink set r-peer up\n");
            StateDirectory = Directory.CreateTempSubdirectory(StateDirectoryPrefix).FullName;
        }
        catch
        {
            ThrowawayNamespace.DisposeAll(_namespaces);
            throw;
        }
    }

    public ThrowawayNamespace Host => _namespaces[0];

    public ThrowawayNamespace Peer => _namespaces[1];

    public ThrowawayNamespace Jail => _namespaces[2];

    public string StateDirectory { get; } = string.Empty;

    public static IPAddress HostAddress { get; } = IPAddress.Parse("10.77.0.1");

    public static IPAddress Collector { get; } = IPAddress.Parse("10.77.0.2");

    public static IPAddress Stranger { get; } = IPAddress.Parse("10.77.0.3");

    /// <summary>The CLI in the jail, acting on Host, with this site's state directory (show takes none; restore acts on every intent in it).</summary>
    public ProcessResult Cli(params string[] args) => CliProcess.RunIn(Jail, [.. args, .. args[0] switch
    {
        "show" => new[] { "--netns", Host.Path },
        "restore" => ["--state-dir", StateDirectory],
        _ => ["--netns", Host.Path, "--state-dir", StateDirectory],
    }]);

    /// <summary>TCP connection attempts from Host: each one SYN, answered by the reject rule's reset at once.</summary>
    public void OutboundTcp(IPAddress address, int port, int attempts) => Host.RunInside(() =>
    {
        for (int i = 0; i < attempts; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Connect(address, port);
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.ConnectionRefused)
            {
            }
        }
    });

    /// <summary>UDP datagrams from Host: each one packet, dropped (the sender sees EPERM).</summary>
    public void OutboundUdp(IPAddress address, int port, int datagrams) => Host.RunInside(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int i = 0; i < datagrams; i++)
        {
            try
            {
                socket.SendTo([1, 2, 3], new IPEndPoint(address, port));
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AccessDenied)
            {
            }
        }
    });

    /// <summary>One UDP datagram from Host to each port from <paramref name="firstPort"/> on: that many ledger endpoints.</summary>
    public void OutboundUdpToPorts(IPAddress address, int firstPort, int ports) => Host.RunInside(() =>
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        for (int port = firstPort; port < firstPort + ports; port++)
        {
            try
            {
                socket.SendTo([1], new IPEndPoint(address, port));
            }
            catch (SocketException exception) when (exception.SocketErrorCode == SocketError.AccessDenied)
            {
            }
        }
    });

    /// <summary>
    /// TCP connection attempts from the stranger to Host: each sends one SYN, which is dropped, and is abandoned after
    /// 300 ms — before TCP's first retransmission at 1 s — so exactly one SYN leaves per attempt.
    /// </summary>
    public void InboundTcp(int port, int attempts) => Peer.RunInside(() =>
    {
        for (int i = 0; i < attempts; i++)
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            socket.Bind(new IPEndPoint(Stranger, 0));
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            try
            {
                socket.ConnectAsync(new IPEndPoint(HostAddress, port), cancel.Token).AsTask().GetAwaiter().GetResult();
            }
            catch (OperationCanceledException)
            {
            }
        }
    });

    public void Dispose()
    {
        ThrowawayNamespace.DisposeAll(_namespaces);
        try
        {
            Directory.Delete(StateDirectory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
