using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// A decoded NLMSG_ERROR: errno (0 for an acknowledgement), the header of the message it answers, and the
/// extended-ack TLVs (NLMSGERR_ATTR_MSG text, NLMSGERR_ATTR_OFFS offset) when the kernel sent them.
/// </summary>
internal readonly ref struct NetlinkErrorReply
{
    private NetlinkErrorReply(int error, NetlinkMessageHeader echoed, string? kernelMessage, int? offset)
    {
        Error = error;
        Echoed = echoed;
        KernelMessage = kernelMessage;
        Offset = offset;
    }

    /// <summary>Negative errno as the kernel puts it in nlmsgerr.error, or 0 for an ack.</summary>
    public int Error { get; }

    public bool IsAcknowledgement => Error == 0;

    /// <summary>The header of the request this answers (its sequence number matches the request's).</summary>
    public NetlinkMessageHeader Echoed { get; }

    public string? KernelMessage { get; }

    /// <summary>NLMSGERR_ATTR_OFFS: offset of the offending attribute from the start of the echoed message.</summary>
    public int? Offset { get; }

    /// <summary>
    /// Parses an NLMSG_ERROR message. The TLVs start after the echoed request: 16 bytes when NLM_F_CAPPED is set,
    /// the echoed nlmsg_len otherwise (nft mnl_batch_extack_cb). Malformed TLVs are ignored, not trusted — they
    /// only add detail to the errno — but a reply too short for nlmsgerr is a protocol violation.
    /// </summary>
    public static NetlinkErrorReply Parse(in NetlinkMessage message)
    {
        ReadOnlySpan<byte> payload = message.Payload;
        if (payload.Length < NetlinkErrorMessage.Size)
        {
            throw new NetlinkProtocolException($"NLMSG_ERROR of {payload.Length} bytes is shorter than struct nlmsgerr ({NetlinkErrorMessage.Size}).");
        }

        int error = MemoryMarshal.Read<int>(payload);
        NetlinkMessageHeader echoed = MemoryMarshal.Read<NetlinkMessageHeader>(payload.Slice(4, NetlinkMessageHeader.Size));
        if (error > 0 || error < -4095)
        {
            throw new NetlinkProtocolException($"NLMSG_ERROR carries {error}, which is not a negative errno.");
        }

        string? text = null;
        int? offset = null;
        if ((message.Flags & NetlinkMessageFlags.AckTlvs) != 0)
        {
            long tlvStart = (message.Flags & NetlinkMessageFlags.Capped) != 0
                ? NetlinkErrorMessage.Size
                : 4L + NetlinkWriter.Align((int)Math.Min(echoed.Length, int.MaxValue - 8));
            if (tlvStart <= payload.Length)
            {
                try
                {
                    var tlvs = new NetlinkAttributeReader(payload[(int)tlvStart..]);
                    while (tlvs.Read())
                    {
                        switch (tlvs.Type)
                        {
                            case (ushort)NetlinkErrorAttribute.Message:
                                text = tlvs.GetString();
                                break;
                            case (ushort)NetlinkErrorAttribute.Offset when tlvs.Value.Length == 4:
                                uint raw = tlvs.GetUInt32HostOrder();
                                offset = raw <= int.MaxValue ? (int)raw : null;
                                break;
                        }
                    }
                }
                catch (NetlinkProtocolException)
                {
                    // Keep what was read before the damage; the errno alone still decides the outcome.
                }
            }
        }

        return new NetlinkErrorReply(error, echoed, string.IsNullOrEmpty(text) ? null : text, offset);
    }
}
