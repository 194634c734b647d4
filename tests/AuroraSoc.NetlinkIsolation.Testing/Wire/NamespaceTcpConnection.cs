using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

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
