using System.Buffers.Binary;
using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.Tests.Support;

/// <summary>Splits a buffer of concatenated netlink messages, by nlmsg_len, independently of the production reader.</summary>
internal static class Messages
{
    public static List<byte[]> Split(ReadOnlySpan<byte> buffer)
    {
        var result = new List<byte[]>();
        int offset = 0;
        while (offset < buffer.Length)
        {
            int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(buffer[offset..]);
            result.Add(buffer.Slice(offset, length).ToArray());
            offset += (length + 3) & ~3;
        }

        return result;
    }

    /// <summary>
    /// A copy of an nfnetlink message (16-byte header, 4-byte nfgenmsg, attributes) without its top-level attributes of
    /// type <paramref name="attributeType"/>, nlmsg_len adjusted.
    /// </summary>
    public static byte[] WithoutAttribute(byte[] message, ushort attributeType)
    {
        const int attributesStart = 16 + 4;
        var kept = new List<byte>(message[..attributesStart]);
        int offset = attributesStart;
        while (offset + 4 <= message.Length)
        {
            int length = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset));
            int type = BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(offset + 2)) & 0x3fff;
            int padded = Math.Min((length + 3) & ~3, message.Length - offset);
            if (type != attributeType)
            {
                kept.AddRange(message.AsSpan(offset, padded).ToArray());
            }

            offset += padded;
        }

        byte[] result = [.. kept];
        BinaryPrimitives.WriteUInt32LittleEndian(result, (uint)result.Length);
        return result;
    }

    /// <summary>
    /// nft's transaction with NFTA_TABLE_FLAGS (0) removed from its first NEWTABLE (message 1). nft's own bytes fail on a
    /// table that carries OWNER or PERSIST (the kernel refuses to change those flags: EOPNOTSUPP); ours keep such a
    /// table as it is, which is what makes DELTABLE valid on a table a guard left orphaned (IsolationRuleset).
    /// </summary>
    public static List<byte[]> WithFirstNewTableFlagless(IReadOnlyList<byte[]> nft)
    {
        List<byte[]> messages = [.. nft];
        Xunit.Assert.Equal(0x0a00, BinaryPrimitives.ReadUInt16LittleEndian(messages[1].AsSpan(4))); // NFT_MSG_NEWTABLE
        byte[] flagless = WithoutAttribute(messages[1], (ushort)NftTableAttribute.Flags);
        Xunit.Assert.Equal(messages[1].Length - 8, flagless.Length);
        messages[1] = flagless;
        return messages;
    }

    public static byte[] Concat(IEnumerable<byte[]> messages) => messages.SelectMany(m => m.Concat(new byte[((m.Length + 3) & ~3) - m.Length])).ToArray();
}
