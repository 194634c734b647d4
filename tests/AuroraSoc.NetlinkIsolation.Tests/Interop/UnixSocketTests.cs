using System.Net.Sockets;
using System.Text;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>The guard hand-over's Unix stream socket and sd_notify's datagram, on socket files in a temporary directory.</summary>
public sealed class UnixSocketTests : IDisposable
{
    private const int ShortWait = 50;
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("aurorasoc-unix-socket-");

    public void Dispose() => _directory.Delete(recursive: true);

    [Fact]
    public void TryConnect_NoSocketFile_Enoent()
    {
        Assert.Equal(Errno.ENOENT, UnixStreamSocket.TryConnect(Path.Combine(_directory.FullName, "absent"), out UnixStreamSocket? socket));
        Assert.Null(socket);
    }

    [Fact]
    public void TryConnect_SocketFileNobodyListensOn_Econnrefused()
    {
        string path = Path.Combine(_directory.FullName, "stale");
        Assert.Equal(0, UnixStreamSocket.TryListen(path, 1, out UnixStreamSocket? listener));
        listener!.Dispose(); // the file stays, as after a guard that was killed

        Assert.Equal(Errno.ECONNREFUSED, UnixStreamSocket.TryConnect(path, out UnixStreamSocket? socket));
        Assert.Null(socket);
    }

    [Fact]
    public void TryListen_PathLongerThanSunPath_Enametoolong()
    {
        string path = "/" + new string('x', UnixSocketAddress.PathCapacity);

        Assert.Equal(Errno.ENAMETOOLONG, UnixStreamSocket.TryListen(path, 1, out UnixStreamSocket? listener));
        Assert.Null(listener);
    }

    [Fact]
    public void TryAccept_NobodyConnects_Etimedout()
    {
        using UnixStreamSocket listener = Listen("idle");

        Assert.Equal(Errno.ETIMEDOUT, listener.TryAccept(ShortWait, out UnixStreamSocket? client));
        Assert.Null(client);
    }

    [Fact]
    public void ReceiveExactly_PeerSendsNothing_EtimedoutWithNothingReceived()
    {
        (UnixStreamSocket listener, UnixStreamSocket client, UnixStreamSocket server) = Pair("silent");
        using (listener)
        using (client)
        using (server)
        {
            Assert.Equal(Errno.ETIMEDOUT, server.ReceiveExactly(new byte[4], ShortWait, out int received));
            Assert.Equal(0, received);
        }
    }

    [Fact]
    public void ReceiveExactly_PeerClosesAfterPart_ZeroWithThePartReceived()
    {
        (UnixStreamSocket listener, UnixStreamSocket client, UnixStreamSocket server) = Pair("short");
        using (listener)
        using (server)
        {
            Assert.Equal(0, client.SendAll("ab"u8, ShortWait));
            client.Dispose();

            byte[] buffer = new byte[4];
            Assert.Equal(0, server.ReceiveExactly(buffer, 10_000, out int received));
            Assert.Equal((2, "ab"), (received, Encoding.ASCII.GetString(buffer, 0, received)));
        }
    }

    [Fact]
    public void SendAll_PeerGone_EpipeInsteadOfSigpipe()
    {
        (UnixStreamSocket listener, UnixStreamSocket client, UnixStreamSocket server) = Pair("gone");
        using (listener)
        using (client)
        {
            server.Dispose();

            // MSG_NOSIGNAL: without it the process would be killed by SIGPIPE here.
            Assert.Equal(Errno.EPIPE, client.SendAll(new byte[1024], 10_000));
        }
    }

    [Fact]
    public void TrySend_DatagramToBoundSocket_ArrivesWhole()
    {
        string path = Path.Combine(_directory.FullName, "notify");
        using var receiver = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        receiver.Bind(new UnixDomainSocketEndPoint(path));

        Assert.Equal(0, UnixDatagram.TrySend(path, "READY=1"u8));

        byte[] buffer = new byte[64];
        int length = receiver.Receive(buffer);
        Assert.Equal("READY=1", Encoding.ASCII.GetString(buffer, 0, length));
    }

    [Fact]
    public void TrySend_NoSocket_Enoent()
    {
        Assert.Equal(Errno.ENOENT, UnixDatagram.TrySend(Path.Combine(_directory.FullName, "absent"), "READY=1"u8));
    }

    private UnixStreamSocket Listen(string name)
    {
        Assert.Equal(0, UnixStreamSocket.TryListen(Path.Combine(_directory.FullName, name), 1, out UnixStreamSocket? listener));
        return listener!;
    }

    private (UnixStreamSocket Listener, UnixStreamSocket Client, UnixStreamSocket Server) Pair(string name)
    {
        UnixStreamSocket listener = Listen(name);
        Assert.Equal(0, UnixStreamSocket.TryConnect(Path.Combine(_directory.FullName, name), out UnixStreamSocket? client));
        Assert.Equal(0, listener.TryAccept(10_000, out UnixStreamSocket? server));
        return (listener, client!, server!);
    }
}
