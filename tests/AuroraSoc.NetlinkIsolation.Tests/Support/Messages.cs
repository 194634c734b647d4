using System.Buffers.Binary;

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

    public static byte[] Concat(IEnumerable<byte[]> messages) => messages.SelectMany(m => m.Concat(new byte[((m.Length + 3) & ~3) - m.Length])).ToArray();
}
