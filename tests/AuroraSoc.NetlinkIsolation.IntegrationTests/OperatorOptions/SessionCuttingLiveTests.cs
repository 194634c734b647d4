using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.OperatorOptions;

/// <summary>
/// Strict mode cuts what is already open: real idle TCP connections from the isolated namespace, IPv4 and IPv6, to
/// a collector (kept) and to a peer the policy does not allow (destroyed with SOCK_DESTROY).
/// </summary>
public sealed class SessionCuttingLiveTests
{
    private const int CollectorPort = 6514;
    private const int PeerPort = 4444;
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Isolate_StrictWithIdleConnections_DisallowedAbortedAllowedStillEcho()
    {
        using Topology site = Topology.Create();
        using Connections open = Connections.Open(site);
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        IsolationResult result = isolator.Isolate(Policy(site, IsolationMode.Strict));

        Assert.Equal(SocketError.ConnectionAborted, open.PeerV4Receive.Outcome(Second));
        Assert.Equal(SocketError.ConnectionAborted, open.PeerV6Receive.Outcome(Second));
        Assert.Equal(2, result.SessionsCut.Destroyed);
        Assert.Equal(6, result.SessionsCut.Examined); // 2 collectors, 2 peers, both ends of the loopback connection
        Assert.Null(result.SessionsCut.Warning);
        Assert.True(open.CollectorV4.Exchange("still here"u8.ToArray(), TimeSpan.FromSeconds(5)).Replied);
        Assert.True(open.CollectorV6.Exchange("still here"u8.ToArray(), TimeSpan.FromSeconds(5)).Replied);
        Assert.True(open.LoopbackEchoes());
    }

    [Fact]
    public void Isolate_KeepModeWithIdleConnections_NothingDestroyed()
    {
        using Topology site = Topology.Create();
        using Connections open = Connections.Open(site);
        using HostIsolator isolator = HostIsolator.Open(site.Host.Path);

        IsolationResult result = isolator.Isolate(Policy(site, IsolationMode.Keep));

        Assert.Equal(SessionCutResult.None, result.SessionsCut);
        Assert.Equal(SocketError.TimedOut, open.PeerV4Receive.Outcome(Second));
        Assert.Equal(SocketError.TimedOut, open.PeerV6Receive.Outcome(Second));
    }

    private static IsolationPolicy Policy(Topology site, IsolationMode mode) => new(
        [new Endpoint(site.CollectorIPv4, port: CollectorPort), new Endpoint(site.CollectorIPv6, port: CollectorPort)],
        mode: mode);

    /// <summary>Idle connections from Host: to the collector and to a peer, each in both families, and one over loopback.</summary>
    private sealed class Connections : IDisposable
    {
        private readonly List<IDisposable> _owned = [];

        public required NamespaceTcpConnection CollectorV4 { get; init; }

        public required NamespaceTcpConnection CollectorV6 { get; init; }

        public required PendingReceive PeerV4Receive { get; init; }

        public required PendingReceive PeerV6Receive { get; init; }

        public required NamespaceTcpConnection Loopback { get; init; }

        public static Connections Open(Topology site)
        {
            var owned = new List<IDisposable>();
            T Own<T>(T item) where T : IDisposable
            {
                owned.Add(item);
                return item;
            }

            try
            {
                Own(NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, CollectorPort));
                Own(NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv6, CollectorPort));
                Own(NamespaceSockets.StartTcpListener(site.Lan, site.PeerIPv4, PeerPort));
                Own(NamespaceSockets.StartTcpListener(site.Lan, site.PeerIPv6, PeerPort));
                NamespaceTcpListener local = Own(NamespaceSockets.StartTcpListener(site.Host, IPAddress.Loopback));
                var connections = new Connections
                {
                    CollectorV4 = Own(NamespaceSockets.TcpOpen(site.Host, site.CollectorIPv4, CollectorPort, TimeSpan.FromSeconds(5))),
                    CollectorV6 = Own(NamespaceSockets.TcpOpen(site.Host, site.CollectorIPv6, CollectorPort, TimeSpan.FromSeconds(5))),
                    PeerV4Receive = Own(PendingReceive.Start(site.Host, site.PeerIPv4)),
                    PeerV6Receive = Own(PendingReceive.Start(site.Host, site.PeerIPv6)),
                    Loopback = Own(NamespaceSockets.TcpOpen(site.Host, IPAddress.Loopback, local.Port, TimeSpan.FromSeconds(5))),
                };
                connections._owned.AddRange(owned);
                return connections;
            }
            catch
            {
                owned.ForEach(o => o.Dispose());
                throw;
            }
        }

        public bool LoopbackEchoes() => Loopback.Exchange("lo"u8.ToArray(), TimeSpan.FromSeconds(5)).Replied;

        public void Dispose() => _owned.ForEach(o => o.Dispose());
    }

    /// <summary>A connection to the peer whose owner sits in recv, as an idle reverse shell would.</summary>
    private sealed class PendingReceive : IDisposable
    {
        private readonly Socket _socket;
        private readonly Task<int> _receive;

        private PendingReceive(Socket socket)
        {
            _socket = socket;
            _receive = socket.ReceiveAsync(new byte[16].AsMemory(), SocketFlags.None).AsTask();
        }

        public static PendingReceive Start(ThrowawayNamespace ns, IPAddress peer) => new(ns.RunInside(() =>
        {
            var socket = new Socket(peer.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            socket.Connect(new IPEndPoint(peer, PeerPort));
            return socket;
        }));

        /// <summary>How the pending receive ended within <paramref name="timeout"/>: the socket error, or TimedOut.</summary>
        public SocketError Outcome(TimeSpan timeout)
        {
            try
            {
                return _receive.Wait(timeout) ? SocketError.Success : SocketError.TimedOut;
            }
            catch (AggregateException exception) when (exception.InnerException is SocketException socketException)
            {
                return socketException.SocketErrorCode;
            }
        }

        public void Dispose() => _socket.Dispose();
    }
}
