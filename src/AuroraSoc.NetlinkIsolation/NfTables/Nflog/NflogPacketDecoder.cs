using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Nflog;

/// <summary>
/// Decodes NFULNL_MSG_PACKET (&lt;linux/netfilter/nfnetlink_log.h&gt;, net/netfilter/nfnetlink_log.c's __build_packet_message):
/// every number attribute is big-endian (NFULA_UID, NFULA_GID, NFULA_SEQ, the interface indexes, the timestamp's two
/// __be64), the payload is the copied packet from its network header on.
/// </summary>
internal static class NflogPacketDecoder
{
    /// <summary>The nlmsg_type of a packet copy: subsystem ULOG in the high byte.</summary>
    public const ushort PacketMessageType = (NfLogConstants.NFNL_SUBSYS_ULOG << 8) | NfLogConstants.NFULNL_MSG_PACKET;

    /// <summary>Decodes the message body after the netlink header (nfgenmsg, then attributes).</summary>
    public static NflogPacket Decode(ReadOnlySpan<byte> body)
    {
        if (body.Length < NfNetlinkConstants.NfGenMessageSize)
        {
            throw new NetlinkProtocolException("NFULNL_MSG_PACKET shorter than its nfgenmsg");
        }

        byte? hook = null;
        uint? sequence = null, uid = null, gid = null, input = null, output = null;
        DateTimeOffset? timestamp = null;
        string? prefix = null;
        PacketHeaders? headers = null;
        var attributes = new NetlinkAttributeReader(body[NfNetlinkConstants.NfGenMessageSize..]);
        while (attributes.Read())
        {
            switch (attributes.Type)
            {
                case NfLogConstants.NFULA_PACKET_HDR when attributes.Value.Length >= 3:
                    hook = attributes.Value[2]; // struct nfulnl_msg_packet_hdr { __be16 hw_protocol; __u8 hook; __u8 _pad; }
                    break;
                case NfLogConstants.NFULA_SEQ:
                    sequence = attributes.GetUInt32BigEndian();
                    break;
                case NfLogConstants.NFULA_UID:
                    uid = attributes.GetUInt32BigEndian();
                    break;
                case NfLogConstants.NFULA_GID:
                    gid = attributes.GetUInt32BigEndian();
                    break;
                case NfLogConstants.NFULA_IFINDEX_INDEV:
                    input = attributes.GetUInt32BigEndian();
                    break;
                case NfLogConstants.NFULA_IFINDEX_OUTDEV:
                    output = attributes.GetUInt32BigEndian();
                    break;
                case NfLogConstants.NFULA_PREFIX:
                    prefix = attributes.GetString();
                    break;
                case NfLogConstants.NFULA_TIMESTAMP when attributes.Value.Length >= 16:
                    timestamp = Timestamp(attributes.Value);
                    break;
                case NfLogConstants.NFULA_PAYLOAD:
                    headers = NetworkHeaderParser.Parse(attributes.Value);
                    break;
                default:
                    break;
            }
        }

        return new NflogPacket(hook, sequence, uid, gid, input, output, timestamp, prefix, headers);
    }

    // struct nfulnl_msg_packet_timestamp { __aligned_be64 sec; __aligned_be64 usec; }
    private static DateTimeOffset? Timestamp(ReadOnlySpan<byte> value)
    {
        ulong seconds = BinaryPrimitives.ReadUInt64BigEndian(value);
        ulong microseconds = BinaryPrimitives.ReadUInt64BigEndian(value[8..]);
        return seconds > (ulong)DateTimeOffset.MaxValue.ToUnixTimeSeconds() || microseconds >= 1_000_000
            ? null
            : DateTimeOffset.FromUnixTimeSeconds((long)seconds).AddTicks((long)microseconds * 10);
    }
}
