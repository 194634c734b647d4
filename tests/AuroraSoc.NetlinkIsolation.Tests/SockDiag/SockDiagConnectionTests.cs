using System.Buffers.Binary;
using System.Net;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.SockDiag;
using AuroraSoc.NetlinkIsolation.Tests.Reliability;

namespace AuroraSoc.NetlinkIsolation.Tests.SockDiag;

/// <summary>
/// The sock_diag requests and replies against bytes written by hand from &lt;linux/inet_diag.h&gt; (struct
/// inet_diag_req_v2: family, protocol, ext, pad, states, then inet_diag_sockid; struct inet_diag_msg: family, state,
/// timer, retrans, inet_diag_sockid, expires, rqueue, wqueue, uid, inode), on a scripted socket.
/// </summary>
public class SockDiagConnectionTests
{
    // 10.0.0.2:40000 -> 203.0.113.5:4444, established, cookie 42, uid 1000, inode 12345.
    private const string ShellSocketId =
        "9c40" + "115c" + "0a000002" + "000000000000000000000000" + "cb007105" + "000000000000000000000000" + "00000000" + "2a00000000000000";

    private const string ShellMessage = "02" + "01" + "00" + "00" + ShellSocketId + "00000000" + "00000000" + "00000000" + "e8030000" + "39300000";

    // [fd00::2]:40001 -> [2001:db8::10]:6514, established, cookie 7.
    private const string CollectorMessage = "0a" + "01" + "00" + "00"
        + "9c41" + "1972" + "fd000000000000000000000000000002" + "20010db8000000000000000000000010" + "00000000" + "0700000000000000"
        + "00000000" + "00000000" + "00000000" + "00000000" + "01000000";

    [Fact]
    public void DumpEstablishedTcp_Ipv4_RequestIsInetDiagReqV2ForEstablishedTcp()
    {
        var kernel = new ScriptedSockDiagKernel { DumpReplies = [ShellMessage] };
        using var connection = SockDiagConnection.Create(new FakeNetlinkSocket(kernel));

        connection.DumpEstablishedTcp(SockDiagConstants.AF_INET);

        byte[] request = Assert.Single(kernel.Requests);
        Assert.Equal(
            "48000000" + "1400" + "0103" + "00000000" + "00000000" // nlmsghdr: len 72, SOCK_DIAG_BY_FAMILY, REQUEST|DUMP (seq and pid zeroed)
            + "02" + "06" + "00" + "00" + "02000000" // AF_INET, IPPROTO_TCP, no extensions, pad, 1 << TCP_ESTABLISHED
            + new string('0', 96), // inet_diag_sockid: no filter
            Hex(WithoutSequenceAndPort(request)));
    }

    [Fact]
    public void DumpEstablishedTcp_Replies_DecodedEndpointsOwnerAndInode()
    {
        var kernel = new ScriptedSockDiagKernel { DumpReplies = [ShellMessage, CollectorMessage] };
        using var connection = SockDiagConnection.Create(new FakeNetlinkSocket(kernel));

        List<InetDiagSocket> sockets = connection.DumpEstablishedTcp(SockDiagConstants.AF_INET6);

        Assert.Equal(2, sockets.Count);
        Assert.Equal(IPEndPoint.Parse("10.0.0.2:40000"), sockets[0].Local);
        Assert.Equal(IPEndPoint.Parse("203.0.113.5:4444"), sockets[0].Remote);
        Assert.Equal(1000u, sockets[0].Uid);
        Assert.Equal(12345u, sockets[0].Inode);
        Assert.Equal(SockDiagConstants.TCP_ESTABLISHED, sockets[0].State);
        Assert.Equal(IPEndPoint.Parse("[fd00::2]:40001"), sockets[1].Local);
        Assert.Equal(IPEndPoint.Parse("[2001:db8::10]:6514"), sockets[1].Remote);
    }

    [Fact]
    public void Destroy_DumpedSocket_OneSockDestroyRepeatingItsIdAndCookie()
    {
        var kernel = new ScriptedSockDiagKernel { DumpReplies = [ShellMessage, CollectorMessage] };
        using var connection = SockDiagConnection.Create(new FakeNetlinkSocket(kernel));
        List<InetDiagSocket> sockets = connection.DumpEstablishedTcp(SockDiagConstants.AF_INET);
        kernel.Requests.Clear();

        IReadOnlyList<DestroyFailure> failures = connection.Destroy([sockets[0]]);

        Assert.Empty(failures);
        byte[] datagram = Assert.Single(kernel.Requests);
        Assert.Equal(
            "48000000" + "1500" + "0100" + "00000000" + "00000000" // nlmsghdr: len 72, SOCK_DESTROY, REQUEST
            + "02" + "06" + "00" + "00" + "ffffffff" // AF_INET, IPPROTO_TCP, any state
            + ShellSocketId,
            Hex(WithoutSequenceAndPort(datagram)));
    }

    [Fact]
    public void Destroy_KernelRefusesOne_FailureNamesThatSocketAndErrno()
    {
        var kernel = new ScriptedSockDiagKernel { DumpReplies = [ShellMessage, CollectorMessage], DestroyErrors = { [1] = Errno.EOPNOTSUPP } };
        using var connection = SockDiagConnection.Create(new FakeNetlinkSocket(kernel));
        List<InetDiagSocket> sockets = connection.DumpEstablishedTcp(SockDiagConstants.AF_INET);

        IReadOnlyList<DestroyFailure> failures = connection.Destroy(sockets);

        DestroyFailure failure = Assert.Single(failures);
        Assert.Same(sockets[1], failure.Socket);
        Assert.Equal(Errno.EOPNOTSUPP, failure.Errno);
        Assert.Equal(2, Messages(kernel.Requests.Last()).Count);
    }

    [Fact]
    public void Destroy_Nothing_SendsNothing()
    {
        var kernel = new ScriptedSockDiagKernel();
        using var connection = SockDiagConnection.Create(new FakeNetlinkSocket(kernel));

        Assert.Empty(connection.Destroy([]));
        Assert.Empty(kernel.Requests);
    }

    private static string Hex(byte[] bytes) => Convert.ToHexString(bytes).ToLowerInvariant();

    private static byte[] WithoutSequenceAndPort(byte[] message)
    {
        byte[] copy = (byte[])message.Clone();
        copy.AsSpan(8, 8).Clear();
        return copy;
    }

    private static List<byte[]> Messages(byte[] datagram)
    {
        var messages = new List<byte[]>();
        for (int offset = 0; offset < datagram.Length;)
        {
            int length = BinaryPrimitives.ReadInt32LittleEndian(datagram.AsSpan(offset));
            messages.Add(datagram[offset..(offset + length)]);
            offset += (length + 3) & ~3;
        }

        return messages;
    }

    /// <summary>Answers a dump with the scripted inet_diag_msg bodies and NLMSG_DONE; answers SOCK_DESTROY messages with the scripted errors.</summary>
    private sealed class ScriptedSockDiagKernel : IFakeKernel
    {
        public List<string> DumpReplies { get; init; } = [];

        /// <summary>Index of a SOCK_DESTROY message within its datagram → errno to answer it with.</summary>
        public Dictionary<int, int> DestroyErrors { get; } = [];

        public List<byte[]> Requests { get; } = [];

        public void Deliver(byte[] datagram, FakeNetlinkSocket socket)
        {
            Requests.Add(datagram);
            List<byte[]> messages = Messages(datagram);
            for (int i = 0; i < messages.Count; i++)
            {
                byte[] message = messages[i];
                ushort type = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4));
                uint sequence = BinaryPrimitives.ReadUInt32LittleEndian(message.AsSpan(8));
                if (type == SockDiagConstants.SOCK_DIAG_BY_FAMILY)
                {
                    foreach (string body in DumpReplies)
                    {
                        socket.Enqueue(Message(SockDiagConstants.SOCK_DIAG_BY_FAMILY, 0x2, sequence, socket.PortId, Convert.FromHexString(body)));
                    }

                    socket.Enqueue(Message((ushort)NetlinkMessageType.Done, 0x2, sequence, socket.PortId, new byte[4]));
                }
                else if (type == SockDiagConstants.SOCK_DESTROY && DestroyErrors.TryGetValue(i, out int errno))
                {
                    byte[] error = new byte[4 + message.Length];
                    BinaryPrimitives.WriteInt32LittleEndian(error, -errno);
                    message.CopyTo(error, 4);
                    socket.Enqueue(Message((ushort)NetlinkMessageType.Error, 0, sequence, socket.PortId, error));
                }
            }
        }

        private static byte[] Message(ushort type, ushort flags, uint sequence, uint portId, byte[] payload)
        {
            byte[] message = new byte[16 + payload.Length];
            BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
            BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
            BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
            BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), portId);
            payload.CopyTo(message, 16);
            return message;
        }
    }
}
