using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// The one NFULNL_MSG_CONFIG that subscribes to a group: NFULA_CFG_CMD BIND, NFULA_CFG_MODE copy-packet with a range, and
/// NFULA_CFG_FLAGS SEQ. The group is the nfgenmsg's res_id (big-endian); the family is AF_UNSPEC — the per-family
/// PF_BIND/PF_UNBIND commands are no-ops since Linux 3.17 (nfnetlink_log.c), so nothing else is sent. The kernel applies the
/// command before the mode and flags of the same message (nfulnl_recv_config).
/// </summary>
internal static class NflogBindRequest
{
    /// <summary>Bytes of each packet copied: enough for IPv6 with a hop-by-hop header and a TCP header's ports.</summary>
    public const uint CopyRange = 128;

    private const ushort ConfigMessageType = (NfLogConstants.NFNL_SUBSYS_ULOG << 8) | NfLogConstants.NFULNL_MSG_CONFIG;
    private const ushort RequestAndAck = 0x1 | 0x4; // NLM_F_REQUEST | NLM_F_ACK (linux/netlink.h)

    /// <summary>The request that binds this socket to <paramref name="group"/>, or with <paramref name="unbind"/> releases it.</summary>
    public static byte[] Build(ushort group, uint sequence, bool unbind = false)
    {
        // nlmsghdr 16 + nfgenmsg 4 + CMD (4 + 1, padded to 8) [+ MODE (4 + 6, padded to 12) + FLAGS (4 + 2, padded to 8)]
        int length = 16 + 4 + 8 + (unbind ? 0 : 12 + 8);
        byte[] message = new byte[length];
        Span<byte> span = message;
        BinaryPrimitives.WriteUInt32LittleEndian(span, (uint)length); // host order: this project runs on little-endian Linux only
        BinaryPrimitives.WriteUInt16LittleEndian(span[4..], ConfigMessageType);
        BinaryPrimitives.WriteUInt16LittleEndian(span[6..], RequestAndAck);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], sequence);
        span[16] = 0; // AF_UNSPEC
        span[17] = NfNetlinkConstants.NFNETLINK_V0;
        BinaryPrimitives.WriteUInt16BigEndian(span[18..], group);
        WriteAttributeHeader(span[20..], 5, NfLogConstants.NFULA_CFG_CMD);
        span[24] = unbind ? NfLogConstants.NFULNL_CFG_CMD_UNBIND : NfLogConstants.NFULNL_CFG_CMD_BIND;
        if (!unbind)
        {
            // struct nfulnl_msg_config_mode { __be32 copy_range; __u8 copy_mode; __u8 _pad; } __packed
            WriteAttributeHeader(span[28..], 10, NfLogConstants.NFULA_CFG_MODE);
            BinaryPrimitives.WriteUInt32BigEndian(span[32..], CopyRange);
            span[36] = NfLogConstants.NFULNL_COPY_PACKET;
            WriteAttributeHeader(span[40..], 6, NfLogConstants.NFULA_CFG_FLAGS);
            BinaryPrimitives.WriteUInt16BigEndian(span[44..], NfLogConstants.NFULNL_CFG_F_SEQ);
        }

        return message;
    }

    private static void WriteAttributeHeader(Span<byte> at, ushort length, ushort type)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(at, length);
        BinaryPrimitives.WriteUInt16LittleEndian(at[2..], type);
    }
}
