using System.Buffers.Binary;
using System.Text;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>
/// Builds and inspects raw netlink messages for the fake kernel, independently of the library's writer and readers
/// (so a bug there cannot hide itself). Host order is little-endian here (x86-64, arm64).
/// </summary>
internal static class Wire
{
    public const ushort NlmsgError = 2;
    public const ushort NlmsgDone = 3;
    public const ushort BatchBegin = 0x10;
    public const ushort BatchEnd = 0x11;
    public const ushort FlagMulti = 0x02;
    public const ushort FlagAck = 0x04;
    public const ushort FlagDumpIntr = 0x10;
    public const ushort FlagDump = 0x300;
    public const ushort FlagCapped = 0x100;
    public const ushort FlagAckTlvs = 0x200;
    public const ushort FlagExcl = 0x200; // on NEW requests
    public const ushort FlagCreate = 0x400;

    public static ushort NfType(int message) => (ushort)((10 << 8) | message);

    public static int Align(int length) => (length + 3) & ~3;

    public static uint Length(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message);

    public static ushort Type(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[4..]);

    public static ushort Flags(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt16LittleEndian(message[6..]);

    public static uint Sequence(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[8..]);

    public static uint PortId(ReadOnlySpan<byte> message) => BinaryPrimitives.ReadUInt32LittleEndian(message[12..]);

    /// <summary>Splits a datagram by nlmsg_len (well-formed input only: this is for what the library sent).</summary>
    public static List<byte[]> Split(ReadOnlySpan<byte> datagram)
    {
        var messages = new List<byte[]>();
        int offset = 0;
        while (offset + 16 <= datagram.Length)
        {
            int length = (int)Length(datagram[offset..]);
            if (length < 16 || offset + length > datagram.Length)
            {
                throw new InvalidDataException($"the library sent a malformed datagram: nlmsg_len {length} at offset {offset} of {datagram.Length}");
            }

            messages.Add(datagram.Slice(offset, length).ToArray());
            offset += Align(length);
        }

        return messages;
    }

    /// <summary>Concatenates messages into one datagram, each padded to 4 bytes.</summary>
    public static byte[] Datagram(IEnumerable<byte[]> messages)
    {
        var buffer = new List<byte>();
        foreach (byte[] message in messages)
        {
            buffer.AddRange(message);
            for (int i = message.Length; i < Align(message.Length); i++)
            {
                buffer.Add(0);
            }
        }

        return [.. buffer];
    }

    public static byte[] Header(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        byte[] message = new byte[16 + payload.Length];
        BinaryPrimitives.WriteUInt32LittleEndian(message, (uint)message.Length);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(4), type);
        BinaryPrimitives.WriteUInt16LittleEndian(message.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(message.AsSpan(12), portId);
        payload.CopyTo(message.AsSpan(16));
        return message;
    }

    /// <summary>A copy of <paramref name="message"/> with a new header (length kept).</summary>
    public static byte[] Readdress(ReadOnlySpan<byte> message, ushort? type, ushort flags, uint sequence, uint portId)
    {
        byte[] copy = message.ToArray();
        if (type is { } t)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(4), t);
        }

        BinaryPrimitives.WriteUInt16LittleEndian(copy.AsSpan(6), flags);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(8), sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(12), portId);
        return copy;
    }

    public static byte[] Attribute(ushort type, ReadOnlySpan<byte> value)
    {
        byte[] attribute = new byte[Align(4 + value.Length)];
        BinaryPrimitives.WriteUInt16LittleEndian(attribute, (ushort)(4 + value.Length));
        BinaryPrimitives.WriteUInt16LittleEndian(attribute.AsSpan(2), type);
        value.CopyTo(attribute.AsSpan(4));
        return attribute;
    }

    /// <summary>The top-level attributes of an nfnetlink message (after its 16-byte header and 4-byte nfgenmsg).</summary>
    public static List<(ushort Type, byte[] Value)> AttributesOf(byte[] message)
    {
        var attributes = new List<(ushort, byte[])>();
        for (int offset = 20; offset + 4 <= message.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset));
            attributes.Add((BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset + 2)), message[(offset + 4)..(offset + length)]));
            offset += Align(length);
        }

        return attributes;
    }

    /// <summary>The nfnetlink message with its header and nfgenmsg kept and <paramref name="attributes"/> as its attributes.</summary>
    public static byte[] WithAttributes(byte[] message, IEnumerable<(ushort Type, byte[] Value)> attributes)
    {
        var bytes = new List<byte>(message[..20]);
        foreach ((ushort type, byte[] value) in attributes)
        {
            bytes.AddRange(Attribute(type, value));
        }

        byte[] result = [.. bytes];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)result.Length);
        return result;
    }

    public static byte[] U32HostAttribute(ushort type, uint value)
    {
        byte[] bytes = new byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, value);
        return Attribute(type, bytes);
    }

    public static byte[] StringAttribute(ushort type, string value) => Attribute(type, [.. Encoding.UTF8.GetBytes(value), 0]);

    /// <summary>
    /// NLMSG_ERROR as a kernel with NETLINK_CAP_ACK sends it: error, the echoed 16-byte header, then TLVs
    /// (NLM_F_ACK_TLVS set when there are any). Without <paramref name="capped"/> the whole request is echoed.
    /// </summary>
    public static byte[] Error(int errno, ReadOnlySpan<byte> request, uint portId, byte[]? tlvs = null, bool capped = true)
    {
        ReadOnlySpan<byte> echoed = capped ? request[..16] : request;
        byte[] payload = new byte[4 + Align(echoed.Length) + (tlvs?.Length ?? 0)];
        BinaryPrimitives.WriteInt32LittleEndian(payload, -errno);
        echoed.CopyTo(payload.AsSpan(4));
        tlvs?.CopyTo(payload.AsSpan(4 + Align(echoed.Length)));
        ushort flags = (ushort)((capped ? FlagCapped : 0) | (tlvs is { Length: > 0 } ? FlagAckTlvs : 0));
        return Header(NlmsgError, flags, Sequence(request), portId, payload);
    }

    public static byte[] Done(uint sequence, uint portId) => Header(NlmsgDone, FlagMulti, sequence, portId, new byte[4]);

    /// <summary>NFT_MSG_NEWGEN with NFTA_GEN_ID (big-endian).</summary>
    public static byte[] NewGen(uint generation, uint sequence, uint portId)
    {
        byte[] id = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(id, generation);
        byte[] nfgen = [0, 0, (byte)(generation >> 8), (byte)generation];
        return Header(NfType(15), 0, sequence, portId, [.. nfgen, .. Attribute(1, id)]);
    }
}
