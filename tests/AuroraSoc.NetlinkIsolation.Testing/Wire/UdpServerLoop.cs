using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>
/// A UDP service on a socket created inside a namespace: receives datagrams until disposed and hands each one to
/// <see cref="HandleAsync"/>. The socket keeps its namespace for life, so the loop runs on pool threads.
/// </summary>
public abstract class UdpServerLoop : IDisposable
{
    private readonly CancellationTokenSource stopping = new();
    private Task loop = Task.CompletedTask;
    private int disposed;

    /// <param name="socket">A bound UDP socket; this server owns it from now on.</param>
    protected UdpServerLoop(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        Socket = socket;
        LocalEndPoint = (IPEndPoint)socket.LocalEndPoint!;
    }

    public IPEndPoint LocalEndPoint { get; }

    public int Port => LocalEndPoint.Port;

    /// <summary>The receiving socket.</summary>
    protected Socket Socket { get; }

    /// <summary>Cancelled when the server is disposed; pass it to every send.</summary>
    protected CancellationToken Stopping => stopping.Token;

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Answers one datagram. A <see cref="SocketException"/> (an ICMP error reported on the socket, or
    /// EPERM when an output rule drops the answer) does not stop the server.</summary>
    protected abstract ValueTask HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint sender);

    /// <summary>Starts receiving. Called by the derived constructor as its last step, once its own state is set:
    /// the first datagram may be handled at once.</summary>
    protected void StartReceiving() => loop = Task.Run(LoopAsync);

    /// <summary>Stops the loop and closes <see cref="Socket"/>; overrides close any other socket they own after
    /// calling this.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (!disposing || Interlocked.Exchange(ref disposed, 1) != 0)
        {
            return;
        }

        stopping.Cancel();
        Socket.Dispose();
        try
        {
            loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
            // The loop ended through the cancellation above.
        }

        stopping.Dispose();
    }

    private async Task LoopAsync()
    {
        var buffer = new byte[65536];
        EndPoint any = Socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0)
            : new IPEndPoint(IPAddress.Any, 0);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                var received = await Socket.ReceiveFromAsync(buffer, SocketFlags.None, any, stopping.Token).ConfigureAwait(false);
                await HandleAsync(buffer.AsMemory(0, received.ReceivedBytes), (IPEndPoint)received.RemoteEndPoint).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // Keep serving.
            }
        }
    }
}
