using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

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
