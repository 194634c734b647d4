using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Testing.Namespaces;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

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
