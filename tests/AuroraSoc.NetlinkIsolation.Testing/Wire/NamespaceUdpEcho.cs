using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>A UDP socket created inside a namespace that echoes every datagram until disposed.</summary>
public sealed class NamespaceUdpEcho : UdpServerLoop
{
    private readonly ConcurrentQueue<IPEndPoint> receivedFrom = new();

    internal NamespaceUdpEcho(Socket socket)
        : base(socket)
    {
        StartReceiving();
    }

    public int ReceivedCount => receivedFrom.Count;

    /// <summary>Senders of the datagrams received so far, in order.</summary>
    public IReadOnlyList<IPEndPoint> ReceivedFrom => [.. receivedFrom];

    protected override async ValueTask HandleAsync(ReadOnlyMemory<byte> datagram, IPEndPoint sender)
    {
        receivedFrom.Enqueue(sender);
        await Socket.SendToAsync(datagram, SocketFlags.None, sender, Stopping).ConfigureAwait(false);
    }
}
