using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Infrastructure;

/// <summary>How a TCP connection attempt ended.</summary>
public enum TcpConnectOutcome
{
    /// <summary>Three-way handshake completed.</summary>
    Connected,

    /// <summary>ECONNREFUSED: a TCP reset came back (no listener, or <c>reject with tcp reset</c>).</summary>
    Refused,

    /// <summary>Nothing came back within the timeout (dropped).</summary>
    TimedOut,

    /// <summary>EHOSTUNREACH / ENETUNREACH (ICMP unreachable, or no route).</summary>
    Unreachable,

    /// <summary>EPERM / EACCES from the local stack (a local firewall dropped the packet on output).</summary>
    Denied,

    /// <summary>Any other socket error; see <see cref="TcpConnectResult.SocketError"/>.</summary>
    Failed,
}

/// <summary>The result of <see cref="NamespaceSockets.TcpConnect"/>.</summary>
public sealed record TcpConnectResult(TcpConnectOutcome Outcome, TimeSpan Elapsed, SocketError SocketError = SocketError.Success)
{
    /// <summary>The local end of the connection, when connected.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }
}

/// <summary>How a request/response exchange over UDP or an open TCP connection ended.</summary>
public enum ExchangeOutcome
{
    /// <summary>The full reply arrived.</summary>
    Replied,

    /// <summary>No (complete) reply within the timeout.</summary>
    TimedOut,

    /// <summary>ECONNREFUSED (UDP: ICMP port unreachable) or ECONNRESET (TCP: a reset, e.g. from a reject rule).</summary>
    Refused,

    /// <summary>The peer closed the connection before replying (TCP only).</summary>
    Closed,

    /// <summary>EHOSTUNREACH / ENETUNREACH.</summary>
    Unreachable,

    /// <summary>EPERM / EACCES from the local stack (a local firewall dropped the packet on output).</summary>
    Denied,

    /// <summary>Any other socket error.</summary>
    Failed,
}

/// <summary>The result of a UDP request/response or of <see cref="NamespaceTcpConnection.Exchange"/>.</summary>
public sealed record ExchangeResult(ExchangeOutcome Outcome, byte[] Reply, TimeSpan Elapsed, SocketError SocketError = SocketError.Success)
{
    public bool Replied => Outcome == ExchangeOutcome.Replied;
}

/// <summary>
/// Real traffic from inside a namespace, in-process. Every socket is created on a dedicated thread that has
/// entered the namespace (<see cref="ThrowawayNamespace.RunInside{T}(Func{T})"/>); a socket keeps the namespace
/// it was created in for life, so the waiting and accepting afterwards may happen on any thread.
/// </summary>
public static class NamespaceSockets
{
    /// <summary>Opens a TCP connection from <paramref name="ns"/> to <paramref name="address"/>:<paramref name="port"/>
    /// and closes it again; reports how the attempt ended and how long it took.</summary>
    public static TcpConnectResult TcpConnect(
        ThrowawayNamespace ns, IPAddress address, int port, TimeSpan timeout, IPAddress? sourceAddress = null)
    {
        var (socket, result) = Connect(ns, address, port, timeout, sourceAddress);
        socket.Dispose();
        return result;
    }

    /// <summary>Opens a TCP connection and keeps it open (for flows that must exist before isolation). Throws
    /// <see cref="SocketException"/>/<see cref="TimeoutException"/> when the connection cannot be made.</summary>
    public static NamespaceTcpConnection TcpOpen(
        ThrowawayNamespace ns, IPAddress address, int port, TimeSpan timeout, IPAddress? sourceAddress = null)
    {
        var (socket, result) = Connect(ns, address, port, timeout, sourceAddress);
        if (result.Outcome == TcpConnectOutcome.Connected)
        {
            return new NamespaceTcpConnection(socket);
        }

        socket.Dispose();
        if (result.Outcome == TcpConnectOutcome.TimedOut)
        {
            throw new TimeoutException($"TCP connect from {ns.Name} to {Format(address, port)} timed out after {timeout}");
        }

        throw new SocketException((int)result.SocketError);
    }

    /// <summary>Listens on <paramref name="address"/>:<paramref name="port"/> (0 = ephemeral) inside
    /// <paramref name="ns"/>; accepts every connection and echoes what it receives.</summary>
    public static NamespaceTcpListener StartTcpListener(ThrowawayNamespace ns, IPAddress address, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(address);
        var socket = ns.RunInside(() =>
        {
            var listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.Bind(new IPEndPoint(address, port));
                listener.Listen(64);
                return listener;
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        });
        return new NamespaceTcpListener(socket);
    }

    /// <summary>Sends <paramref name="payload"/> from <paramref name="ns"/> to a UDP service and waits for one
    /// datagram back. <paramref name="sourcePort"/> lets a test send from a fixed port (DHCP: 68 → 67).</summary>
    public static ExchangeResult UdpSendReceive(
        ThrowawayNamespace ns,
        IPAddress address,
        int port,
        byte[] payload,
        TimeSpan timeout,
        IPAddress? sourceAddress = null,
        int sourcePort = 0)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(payload);
        return ns.RunInside(() =>
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                if (sourceAddress is not null || sourcePort != 0)
                {
                    socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                    socket.Bind(new IPEndPoint(sourceAddress ?? Any(address), sourcePort));
                }

                socket.Connect(new IPEndPoint(address, port));
                socket.Send(payload);
                var buffer = new byte[65536];
                using var cancellation = new CancellationTokenSource(timeout);
                var received = socket.ReceiveAsync(buffer, SocketFlags.None, cancellation.Token).AsTask().GetAwaiter().GetResult();
                return new ExchangeResult(ExchangeOutcome.Replied, buffer[..received], stopwatch.Elapsed);
            }
            catch (OperationCanceledException)
            {
                return new ExchangeResult(ExchangeOutcome.TimedOut, [], stopwatch.Elapsed, SocketError.TimedOut);
            }
            catch (SocketException ex)
            {
                return new ExchangeResult(Classify(ex.SocketErrorCode), [], stopwatch.Elapsed, ex.SocketErrorCode);
            }
        });
    }

    /// <summary>A UDP echo service on <paramref name="address"/>:<paramref name="port"/> (0 = ephemeral) inside
    /// <paramref name="ns"/>: every datagram is sent back to its sender.</summary>
    public static NamespaceUdpEcho StartUdpEcho(ThrowawayNamespace ns, IPAddress address, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(address);
        var socket = ns.RunInside(() =>
        {
            var server = new Socket(address.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                server.Bind(new IPEndPoint(address, port));
                return server;
            }
            catch
            {
                server.Dispose();
                throw;
            }
        });
        return new NamespaceUdpEcho(socket);
    }

    /// <summary>A stand-in resolver for firewall tests: UDP and TCP echo on port 53 of <paramref name="address"/>.
    /// Whether a "query" gets its echo back is what the DNS rules decide.</summary>
    public static DnsLikeServer StartDnsLikeServer(ThrowawayNamespace ns, IPAddress address)
    {
        var udp = StartUdpEcho(ns, address, 53);
        try
        {
            return new DnsLikeServer(udp, StartTcpListener(ns, address, 53));
        }
        catch
        {
            udp.Dispose();
            throw;
        }
    }

    internal static ExchangeOutcome Classify(SocketError error) => error switch
    {
        SocketError.ConnectionRefused or SocketError.ConnectionReset => ExchangeOutcome.Refused,
        SocketError.TimedOut => ExchangeOutcome.TimedOut,
        SocketError.HostUnreachable or SocketError.NetworkUnreachable => ExchangeOutcome.Unreachable,
        SocketError.AccessDenied => ExchangeOutcome.Denied,
        _ => ExchangeOutcome.Failed,
    };

    internal static string Format(IPAddress address, int port) => new IPEndPoint(address, port).ToString();

    private static IPAddress Any(IPAddress like) =>
        like.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any;

    private static (Socket Socket, TcpConnectResult Result) Connect(
        ThrowawayNamespace ns, IPAddress address, int port, TimeSpan timeout, IPAddress? sourceAddress)
    {
        ArgumentNullException.ThrowIfNull(ns);
        ArgumentNullException.ThrowIfNull(address);
        return ns.RunInside(() =>
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var stopwatch = Stopwatch.StartNew();
            try
            {
                if (sourceAddress is not null)
                {
                    socket.Bind(new IPEndPoint(sourceAddress, 0));
                }

                using var cancellation = new CancellationTokenSource(timeout);
                socket.ConnectAsync(new IPEndPoint(address, port), cancellation.Token).AsTask().GetAwaiter().GetResult();
                return (socket, new TcpConnectResult(TcpConnectOutcome.Connected, stopwatch.Elapsed)
                {
                    LocalEndPoint = (IPEndPoint?)socket.LocalEndPoint,
                });
            }
            catch (OperationCanceledException)
            {
                return (socket, new TcpConnectResult(TcpConnectOutcome.TimedOut, stopwatch.Elapsed, SocketError.TimedOut));
            }
            catch (SocketException ex)
            {
                var outcome = ex.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => TcpConnectOutcome.Refused,
                    SocketError.TimedOut => TcpConnectOutcome.TimedOut,
                    SocketError.HostUnreachable or SocketError.NetworkUnreachable => TcpConnectOutcome.Unreachable,
                    SocketError.AccessDenied => TcpConnectOutcome.Denied,
                    _ => TcpConnectOutcome.Failed,
                };
                return (socket, new TcpConnectResult(outcome, stopwatch.Elapsed, ex.SocketErrorCode));
            }
        });
    }
}

/// <summary>An open TCP connection created inside a namespace (see <see cref="NamespaceSockets.TcpOpen"/>).</summary>
public sealed class NamespaceTcpConnection : IDisposable
{
    private readonly Socket socket;

    internal NamespaceTcpConnection(Socket socket)
    {
        this.socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        RemoteEndPoint = (IPEndPoint)socket.RemoteEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public IPEndPoint RemoteEndPoint { get; }

    /// <summary>Sends <paramref name="payload"/> and waits until as many bytes have come back (an echo service).</summary>
    public ExchangeResult Exchange(byte[] payload, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var stopwatch = Stopwatch.StartNew();
        var reply = new byte[payload.Length];
        var received = 0;
        using var cancellation = new CancellationTokenSource(timeout);
        try
        {
            socket.SendAsync(payload, SocketFlags.None, cancellation.Token).AsTask().GetAwaiter().GetResult();
            while (received < reply.Length)
            {
                var count = socket.ReceiveAsync(reply.AsMemory(received), SocketFlags.None, cancellation.Token)
                    .AsTask().GetAwaiter().GetResult();
                if (count == 0)
                {
                    return new ExchangeResult(ExchangeOutcome.Closed, reply[..received], stopwatch.Elapsed);
                }

                received += count;
            }

            return new ExchangeResult(ExchangeOutcome.Replied, reply, stopwatch.Elapsed);
        }
        catch (OperationCanceledException)
        {
            return new ExchangeResult(ExchangeOutcome.TimedOut, reply[..received], stopwatch.Elapsed, SocketError.TimedOut);
        }
        catch (SocketException ex)
        {
            return new ExchangeResult(NamespaceSockets.Classify(ex.SocketErrorCode), reply[..received], stopwatch.Elapsed, ex.SocketErrorCode);
        }
    }

    public void Dispose() => socket.Dispose();
}

/// <summary>A listening TCP socket created inside a namespace; accepts and echoes until disposed.</summary>
public sealed class NamespaceTcpListener : IDisposable
{
    private readonly Socket listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<IPEndPoint> acceptedFrom = new();
    private readonly ConcurrentDictionary<Socket, byte> clients = new();
    private readonly Task acceptLoop;

    internal NamespaceTcpListener(Socket listener)
    {
        this.listener = listener;
        LocalEndPoint = (IPEndPoint)listener.LocalEndPoint!;
        acceptLoop = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    public int AcceptedCount => acceptedFrom.Count;

    /// <summary>Remote ends of the connections accepted so far, in order.</summary>
    public IReadOnlyList<IPEndPoint> AcceptedFrom => [.. acceptedFrom];

    /// <summary>Waits until at least <paramref name="count"/> connections have been accepted.</summary>
    public bool WaitForAccepted(int count, TimeSpan timeout) =>
        SpinWait.SpinUntil(() => acceptedFrom.Count >= count, timeout);

    public void Dispose()
    {
        stopping.Cancel();
        listener.Dispose();
        foreach (var client in clients.Keys)
        {
            client.Dispose();
        }

        try
        {
            acceptLoop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Accept loop ended by the dispose above.
        }

        stopping.Dispose();
    }

    private async Task AcceptLoopAsync()
    {
        while (!stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            clients.TryAdd(client, 0);
            acceptedFrom.Enqueue((IPEndPoint)client.RemoteEndPoint!);
            _ = EchoAsync(client);
        }
    }

    private async Task EchoAsync(Socket client)
    {
        var buffer = new byte[16384];
        try
        {
            while (true)
            {
                var count = await client.ReceiveAsync(buffer, SocketFlags.None, stopping.Token);
                if (count == 0)
                {
                    break;
                }

                await client.SendAsync(buffer.AsMemory(0, count), SocketFlags.None, stopping.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Connection reset, or the listener is being disposed.
        }
        finally
        {
            clients.TryRemove(client, out _);
            client.Dispose();
        }
    }
}

/// <summary>A UDP socket created inside a namespace that echoes every datagram until disposed.</summary>
public sealed class NamespaceUdpEcho : IDisposable
{
    private readonly Socket socket;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentQueue<IPEndPoint> receivedFrom = new();
    private readonly Task loop;

    internal NamespaceUdpEcho(Socket socket)
    {
        this.socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
        loop = Task.Run(LoopAsync);
    }

    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    public int ReceivedCount => receivedFrom.Count;

    /// <summary>Senders of the datagrams received so far, in order.</summary>
    public IReadOnlyList<IPEndPoint> ReceivedFrom => [.. receivedFrom];

    public void Dispose()
    {
        stopping.Cancel();
        socket.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // Loop ended by the dispose above.
        }

        stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = LocalEndPoint.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var received = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token);
                var sender = (IPEndPoint)received.RemoteEndPoint;
                receivedFrom.Enqueue(sender);
                await socket.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), SocketFlags.None, sender, stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // E.g. ICMP errors reported on the socket, or EPERM when an output rule drops the reply; keep serving.
            }
        }
    }
}

/// <summary>UDP and TCP echo on port 53: see <see cref="NamespaceSockets.StartDnsLikeServer"/>.</summary>
public sealed class DnsLikeServer : IDisposable
{
    internal DnsLikeServer(NamespaceUdpEcho udp, NamespaceTcpListener tcp)
    {
        Udp = udp;
        Tcp = tcp;
    }

    public NamespaceUdpEcho Udp { get; }

    public NamespaceTcpListener Tcp { get; }

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
