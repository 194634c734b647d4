using System.Diagnostics;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>NetlinkSocket against the real kernel, each test in a network namespace of its own.</summary>
public class NetlinkSocketTests
{
    [Fact]
    public void TryOpen_InFreshNamespace_AssignsNonZeroPortId() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        Assert.NotEqual(0u, socket.PortId);
        Assert.False(socket.Handle.IsInvalid);
    });

    [Fact]
    public void TryOpen_InFreshNamespace_SetsCloseOnExec() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        int flags = LibC.fcntl((int)socket.Handle.DangerousGetHandle(), LibC.F_GETFD);
        Assert.True(flags >= 0, $"fcntl(F_GETFD) failed with {Errno.Name(Marshal.GetLastPInvokeError())}");
        Assert.NotEqual(0, flags & LibC.FD_CLOEXEC);
    });

    [Fact]
    public void TryOpen_InFreshNamespace_EnablesExtendedAndCappedAcks() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        Assert.Equal(0, socket.GetSocketOption(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_EXT_ACK, out int extendedAck));
        Assert.Equal(0, socket.GetSocketOption(NetlinkConstants.SOL_NETLINK, NetlinkConstants.NETLINK_CAP_ACK, out int cappedAck));
        Assert.Equal(1, extendedAck);
        Assert.Equal(1, cappedAck);
    });

    [Fact]
    public void Send_GetGenRequest_ReceivesNewGenFromKernel() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        NfTablesRequests.AssertGetGenRoundTrip(socket, sequence: 1);
    });

    [Fact]
    public void Receive_IdleSocketWithZeroTimeout_ReturnsEagainPromptly() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        byte[] buffer = new byte[4096];
        var elapsed = Stopwatch.StartNew();
        int received = socket.Receive(buffer, timeoutMilliseconds: 0);
        elapsed.Stop();

        Assert.Equal(-Errno.EAGAIN, received);
        Assert.True(elapsed.ElapsedMilliseconds < 250, $"a zero-timeout Receive took {elapsed.ElapsedMilliseconds} ms");
    });

    [Fact]
    public void Receive_IdleSocketWithTimeout_ReturnsEagainAfterTheTimeout() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        byte[] buffer = new byte[4096];
        var elapsed = Stopwatch.StartNew();
        int received = socket.Receive(buffer, timeoutMilliseconds: 150);
        elapsed.Stop();

        Assert.Equal(-Errno.EAGAIN, received);
        Assert.InRange(elapsed.ElapsedMilliseconds, 140, 2000);
    });

    [Fact]
    public void Receive_ReplyLargerThanBuffer_ReturnsEmsgsizeAndConsumesIt() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        byte[] request = NfTablesRequests.GetGen(sequence: 7);
        Assert.Equal(request.Length, socket.Send(request));

        Assert.Equal(-Errno.EMSGSIZE, socket.Receive(new byte[8], timeoutMilliseconds: 2000));
        Assert.Equal(-Errno.EAGAIN, socket.Receive(new byte[8192], timeoutMilliseconds: 0));
    });

    [Fact]
    public void Receive_DatagramFromUserSpaceSender_DiscardsItAndKeepsWaiting() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        using NetlinkSocket peer = Open();
        byte[] impostor = NfTablesRequests.GetGen(sequence: 99);
        Assert.Equal(impostor.Length, peer.SendTo(impostor, socket.PortId));

        // The peer's datagram is queued first; Receive must skip it and return the kernel's reply after it.
        NfTablesRequests.AssertGetGenRoundTrip(socket, sequence: 2);
        Assert.Equal(-Errno.EAGAIN, socket.Receive(new byte[8192], timeoutMilliseconds: 0));
    });

    [Fact]
    public void Receive_OnlyUserSpaceDatagramsQueued_ReturnsEagain() => InFreshNamespace(() =>
    {
        using NetlinkSocket socket = Open();
        using NetlinkSocket peer = Open();
        byte[] impostor = NfTablesRequests.GetGen(sequence: 99);
        Assert.Equal(impostor.Length, peer.SendTo(impostor, socket.PortId));
        Assert.Equal(impostor.Length, peer.SendTo(impostor, socket.PortId));

        Assert.Equal(-Errno.EAGAIN, socket.Receive(new byte[8192], timeoutMilliseconds: 100));
    });

    [Fact]
    public void SendAndReceive_SteadyState_AllocateNothing() => InFreshNamespace(() =>
    {
        const int Rounds = 100;
        using NetlinkSocket socket = Open();
        byte[] request = NfTablesRequests.GetGen(sequence: 5);
        byte[] reply = new byte[8192];
        int[] sent = new int[Rounds];
        int[] received = new int[Rounds];

        // Warm up: JIT, P/Invoke stubs and the timer behind Environment.TickCount64.
        for (int round = 0; round < 10; round++)
        {
            _ = socket.Send(request);
            _ = socket.Receive(reply, timeoutMilliseconds: 1000);
            _ = socket.Receive(reply, timeoutMilliseconds: 0);
        }

        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < Rounds; round++)
        {
            sent[round] = socket.Send(request);
            received[round] = socket.Receive(reply, timeoutMilliseconds: 1000);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.All(sent, count => Assert.Equal(request.Length, count));
        Assert.All(received, count => Assert.True(count > 0, $"Receive returned {count}"));
        Assert.Equal(0, allocated);
    });

    [Fact]
    public void EnsureBufferSize_AboveCurrentSize_GrowsBothBuffers() => InFreshNamespace(() =>
    {
        const int Bytes = 4 * 1024 * 1024;
        using NetlinkSocket socket = Open();
        Assert.Equal(0, socket.EnsureBufferSize(Bytes));

        // socket(7): getsockopt reports twice the value set. Root may use the *FORCE options, so nothing caps it.
        Assert.Equal(0, socket.GetSocketOption(LibC.SOL_SOCKET, LibC.SO_SNDBUF, out int sendBuffer));
        Assert.Equal(0, socket.GetSocketOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, out int receiveBuffer));
        Assert.True(sendBuffer >= 2 * Bytes, $"SO_SNDBUF is {sendBuffer}");
        Assert.True(receiveBuffer >= 2 * Bytes, $"SO_RCVBUF is {receiveBuffer}");
    });

    [Fact]
    public void TryOpen_WithBufferSize_AppliesIt() => InFreshNamespace(() =>
    {
        const int Bytes = 2 * 1024 * 1024;
        Assert.Equal(0, NetlinkSocket.TryOpen(Bytes, out NetlinkSocket? socket));
        using (socket)
        {
            Assert.Equal(0, socket!.GetSocketOption(LibC.SOL_SOCKET, LibC.SO_RCVBUF, out int receiveBuffer));
            Assert.True(receiveBuffer >= 2 * Bytes, $"SO_RCVBUF is {receiveBuffer}");
        }
    });

    [Fact]
    public void Dispose_OpenSocket_ClosesHandleAndRejectsFurtherUse() => InFreshNamespace(() =>
    {
        NetlinkSocket socket = Open();
        socket.Dispose();

        Assert.True(socket.Handle.IsClosed);
        Assert.Throws<ObjectDisposedException>(() => socket.Send(NfTablesRequests.GetGen(sequence: 1)));
        Assert.Throws<ObjectDisposedException>(() => socket.Receive(new byte[64], timeoutMilliseconds: 0));
    });

    /// <summary>Runs <paramref name="body"/> inside a namespace of its own, so nothing it does can reach this
    /// machine's own firewall.</summary>
    private static void InFreshNamespace(Action body)
    {
        using var ns = ThrowawayNamespace.Create("netlink socket test");
        ns.RunInside(body);
    }

    private static NetlinkSocket Open()
    {
        int error = NetlinkSocket.TryOpen(bufferBytes: 0, out NetlinkSocket? socket);
        Assert.True(error == 0, $"TryOpen failed with {Errno.Name(error)}: {Errno.Describe(error)}");
        return socket!;
    }
}
