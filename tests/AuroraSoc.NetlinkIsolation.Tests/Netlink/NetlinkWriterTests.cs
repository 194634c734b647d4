using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.Netlink;

public class NetlinkWriterTests
{
    [Fact]
    public void WriteString_OddLength_PaddedToFourWithNulTerminator()
    {
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        MessageToken message = writer.BeginMessage(0x0a00, NetlinkMessageFlags.Request, 7);
        writer.WriteString(1, "t");
        writer.EndMessage(message);

        // nlmsghdr {len 24, type 0x0a00, flags REQUEST, seq 7, pid 0} + nlattr {len 6, type 1} "t\0" + 2 padding bytes.
        Assert.Equal("18000000000A010007000000000000000600010074000000", Convert.ToHexString(buffer.WrittenSpan));
    }

    [Fact]
    public void EndNested_AfterChildren_BackfillsLengthAndSetsNestedFlag()
    {
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        MessageToken message = writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
        AttributeToken nested = writer.BeginNested(4);
        writer.WriteUInt32BigEndian(1, 0x01020304);
        writer.EndNested(nested);
        writer.EndMessage(message);

        Assert.Equal("0C000480" + "0800010001020304", Convert.ToHexString(buffer.WrittenSpan[16..]));
        Assert.Equal(28u, BitConverter.ToUInt32(buffer.WrittenSpan));
    }

    [Fact]
    public void WriteUInt64BigEndian_Handle_NetworkOrder()
    {
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        MessageToken message = writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
        writer.WriteUInt64BigEndian(3, 0x0102030405060708);
        writer.EndMessage(message);

        Assert.Equal("0C0003000102030405060708", Convert.ToHexString(buffer.WrittenSpan[16..]));
    }

    [Fact]
    public void WriteNfGenMessage_ResourceId_BigEndian()
    {
        using var buffer = new NetlinkBuffer();
        var writer = new NetlinkWriter(buffer);
        MessageToken message = writer.BeginMessage(0x10, NetlinkMessageFlags.Request, 0);
        writer.WriteNfGenMessage(NfProtocolFamily.Unspecified, NfNetlinkConstants.NFNL_SUBSYS_NFTABLES);
        writer.EndMessage(message);

        Assert.Equal("0000000A", Convert.ToHexString(buffer.WrittenSpan[16..]));
    }

    [Fact]
    public void EndNested_OutOfOrder_ThrowsInvalidOperation()
    {
        using var buffer = new NetlinkBuffer();
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
            AttributeToken outer = writer.BeginNested(1);
            writer.BeginNested(2);
            writer.EndNested(outer);
        });
    }

    [Fact]
    public void EndMessage_WithOpenNestedAttribute_ThrowsInvalidOperation()
    {
        using var buffer = new NetlinkBuffer();
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            MessageToken message = writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
            writer.BeginNested(1);
            writer.EndMessage(message);
        });
    }

    [Fact]
    public void WriteAttribute_OutsideMessage_ThrowsInvalidOperation()
    {
        using var buffer = new NetlinkBuffer();
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.WriteUInt32BigEndian(1, 1);
        });
    }

    [Fact]
    public void BeginMessage_InsideMessage_ThrowsInvalidOperation()
    {
        using var buffer = new NetlinkBuffer();
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
            writer.BeginMessage(1, NetlinkMessageFlags.None, 1);
        });
    }

    [Fact]
    public void WriteAttribute_LongerThan16BitLength_ThrowsInvalidOperation()
    {
        using var buffer = new NetlinkBuffer();
        byte[] value = new byte[ushort.MaxValue];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
            writer.WriteAttribute(1, value);
        });
    }

    [Fact]
    public void EndNested_ChildrenExceed16BitLength_ThrowsInvalidOperation()
    {
        using var buffer = new NetlinkBuffer();
        byte[] value = new byte[40_000];
        Assert.Throws<InvalidOperationException>(() =>
        {
            var writer = new NetlinkWriter(buffer);
            writer.BeginMessage(1, NetlinkMessageFlags.None, 0);
            AttributeToken nested = writer.BeginNested(1);
            writer.WriteAttribute(1, value);
            writer.WriteAttribute(2, value);
            writer.EndNested(nested);
        });
    }

    [Fact]
    public void Write_BeyondInitialCapacity_BufferGrowsAndKeepsContent()
    {
        using var buffer = new NetlinkBuffer(64);
        var writer = new NetlinkWriter(buffer);
        MessageToken message = writer.BeginMessage(1, NetlinkMessageFlags.None, 9);
        for (int i = 0; i < 100; i++)
        {
            writer.WriteUInt32BigEndian(1, (uint)i);
        }

        writer.EndMessage(message);

        Assert.Equal(16 + (100 * 8), buffer.Length);
        var reader = new NetlinkAttributeReader(buffer.WrittenSpan[16..]);
        uint expected = 0;
        while (reader.Read())
        {
            Assert.Equal(expected++, reader.GetUInt32BigEndian());
        }

        Assert.Equal(100u, expected);
    }
}
