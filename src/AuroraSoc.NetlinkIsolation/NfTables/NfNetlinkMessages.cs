using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// nfnetlink messages (&lt;linux/netfilter/nfnetlink.h&gt;): their type names, and struct nfgenmsg, the 4-byte header
/// every nfnetlink message carries after nlmsghdr — writing it, and reading the family and the attributes behind it.
/// </summary>
internal static class NfNetlinkMessages
{
    /// <summary>
    /// Names a message type an nf_tables connection sends or receives, for errors and logs: nfnetlink's batch
    /// markers, NFT_MSG_* (the subsystem in the high byte), and netlink's own control messages.
    /// </summary>
    public static string Name(ushort messageType) => messageType switch
    {
        NfNetlinkConstants.NFNL_MSG_BATCH_BEGIN => "NFNL_MSG_BATCH_BEGIN",
        NfNetlinkConstants.NFNL_MSG_BATCH_END => "NFNL_MSG_BATCH_END",
        _ when messageType >> 8 == NfNetlinkConstants.NFNL_SUBSYS_NFTABLES => NftMessageNames.Name((NftMessageType)(messageType & 0xff)),
        _ => NetlinkMessageNames.Name(messageType),
    };

    /// <summary>Writes struct nfgenmsg: family, version, and res_id, which nfnetlink defines as big-endian.</summary>
    public static void WriteNfGenMessage(this in NetlinkWriter writer, NfProtocolFamily family, ushort resourceId)
    {
        Span<byte> header = writer.ReserveFamilyHeader(NfNetlinkConstants.NfGenMessageSize);
        header[0] = (byte)family;
        header[1] = NfNetlinkConstants.NFNETLINK_V0;
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], resourceId);
    }

    /// <summary>The attributes of an nfnetlink message, i.e. the payload after struct nfgenmsg.</summary>
    public static NetlinkAttributeReader NfAttributes(this in NetlinkMessage message)
    {
        if (message.Payload.Length < NfNetlinkConstants.NfGenMessageSize)
        {
            throw new NetlinkProtocolException($"message type 0x{message.Type:x4} is too short for struct nfgenmsg ({message.Payload.Length} bytes).");
        }

        return new NetlinkAttributeReader(message.Payload[NfNetlinkConstants.NfGenMessageSize..]);
    }

    /// <summary>nfgenmsg.nfgen_family of an nfnetlink message.</summary>
    public static NfProtocolFamily NfFamily(this in NetlinkMessage message)
        => message.Payload.Length >= 1 ? (NfProtocolFamily)message.Payload[0] : throw new NetlinkProtocolException("message has no nfgenmsg.");
}
