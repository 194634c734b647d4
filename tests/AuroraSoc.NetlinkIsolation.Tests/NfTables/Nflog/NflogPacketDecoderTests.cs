using AuroraSoc.NetlinkIsolation.NfTables.Nflog;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables.Nflog;

public sealed class NflogPacketDecoderTests
{
    [Fact]
    public void Decode_PacketMessage_ReadsBigEndianAttributesAndTheHeaders()
    {
        byte[] body = Convert.FromHexString(
            "00000000" // nfgenmsg
            + "0800010008000300" // NFULA_PACKET_HDR: ETH_P_IP, hook 3 (LOCAL_OUT)
            + "08000500" + "00000002" // NFULA_IFINDEX_OUTDEV 2
            + "08000b00" + "000004d2" // NFULA_UID 1234
            + "08000e00" + "000010e1" // NFULA_GID 4321
            + "08000c00" + "00000007" // NFULA_SEQ 7
            + "20000900" + "450000200000000040110000" + "0a4d0001c6336409" + "d4310035000c0000"); // NFULA_PAYLOAD

        NflogPacket packet = NflogPacketDecoder.Decode(body);

        Assert.Equal((byte)3, packet.Hook);
        Assert.Equal(1234u, packet.Uid);
        Assert.Equal(4321u, packet.Gid);
        Assert.Equal(7u, packet.Sequence);
        Assert.Equal(2u, packet.OutputInterface);
        Assert.Null(packet.InputInterface);
        Assert.Equal((ushort)53, packet.Headers!.DestinationPort);
        Assert.Equal("198.51.100.9", packet.Headers.Destination.ToString());
    }

    [Fact]
    public void Build_BindRequest_NamesTheGroupInResIdWithCopyPacketAndSequence()
    {
        byte[] request = NflogBindRequest.Build(group: 0x8123, sequence: 9);

        Assert.Equal(
            "30000000" + "0104" + "0500" + "09000000" + "00000000" // nlmsghdr: 48 bytes, ULOG/CONFIG, REQUEST|ACK, seq 9
            + "00008123" // AF_UNSPEC, NFNETLINK_V0, res_id = group (big-endian)
            + "0500010001000000" // NFULA_CFG_CMD BIND
            + "0a000200000000800200" + "0000" // NFULA_CFG_MODE range 128, COPY_PACKET
            + "0600060000010000", // NFULA_CFG_FLAGS SEQ
            Convert.ToHexString(request).ToLowerInvariant());
    }
}
