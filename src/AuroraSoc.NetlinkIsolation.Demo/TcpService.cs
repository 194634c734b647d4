using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>A TCP listener inside a namespace that accepts every connection and closes it (the probes only connect).</summary>
internal sealed class TcpService : IDisposable
{
    private readonly Socket _listener;
    private readonly Task _acceptLoop;

    private TcpService(Socket listener)
    {
        _listener = listener;
        _acceptLoop = Task.Run(AcceptAsync);
    }

    public static TcpService Start(DemoNamespace where, IPEndPoint endpoint)
        => new(NamespaceThread.Run(where.Path, () =>
        {
            var listener = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            try
            {
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.Bind(endpoint);
                listener.Listen(16);
                return listener;
            }
            catch
            {
                listener.Dispose();
                throw;
            }
        }));

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                using Socket connection = await _listener.AcceptAsync().ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is SocketException or ObjectDisposedException)
        {
            // Disposed: the demo is over.
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        _acceptLoop.Wait(TimeSpan.FromSeconds(2));
    }
}
