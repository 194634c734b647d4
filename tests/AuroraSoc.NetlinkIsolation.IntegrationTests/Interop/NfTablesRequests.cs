using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Interop;

/// <summary>Hand-built requests: the codec is not these tests' subject.</summary>
internal static class NfTablesRequests
{
    public const ushort GetGenType = 0x0a10; // (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_GETGEN
    public const ushort NewGenType = 0x0a0f; // (NFNL_SUBSYS_NFTABLES << 8) | NFT_MSG_NEWGEN

    /// <summary>NFT_MSG_GETGEN: a read the kernel answers with one NFT_MSG_NEWGEN; it changes nothing.</summary>
    public static byte[] GetGen(uint sequence)
    {
        byte[] request = new byte[NetlinkMessageHeader.Size + NfGenMessage.Size];
        var header = new NetlinkMessageHeader
        {
            Length = (uint)request.Length,
            Type = GetGenType,
            Flags = (ushort)NetlinkMessageFlags.Request,
            Sequence = sequence,
        };
        var generation = new NfGenMessage { Family = (byte)NfProtocolFamily.Unspecified, Version = NfNetlinkConstants.NFNETLINK_V0 };
        MemoryMarshal.Write(request, in header);
        MemoryMarshal.Write(request.AsSpan(NetlinkMessageHeader.Size), in generation);
        return request;
    }

    /// <summary>Sends GETGEN and asserts that the kernel's NEWGEN reply arrives, addressed to this socket.</summary>
    public static void AssertGetGenRoundTrip(NetlinkSocket socket, uint sequence)
    {
        byte[] request = GetGen(sequence);
        Assert.Equal(request.Length, socket.Send(request));

        byte[] reply = new byte[8192];
        int received = socket.Receive(reply, timeoutMilliseconds: 2000);
        Assert.True(received >= NetlinkMessageHeader.Size, $"Receive returned {received} ({(received < 0 ? Errno.Name(-received) : "short")})");

        var header = MemoryMarshal.Read<NetlinkMessageHeader>(reply);
        Assert.Equal(NewGenType, header.Type);
        Assert.Equal(sequence, header.Sequence);
        Assert.Equal(socket.PortId, header.PortId);
        Assert.Equal((uint)received, header.Length);
    }
}
