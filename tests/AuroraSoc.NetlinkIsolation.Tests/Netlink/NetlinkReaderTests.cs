using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Tests.Netlink;

public class NetlinkReaderTests
{
    [Theory]
    [InlineData("0F000000")]                                   // shorter than nlmsghdr
    [InlineData("0C00000000000000000000000000000000000000")]   // nlmsg_len 12 < 16
    [InlineData("40000000000000000000000000000000")]           // nlmsg_len past the end
    public void Read_MalformedMessageHeader_ThrowsProtocolException(string hex)
    {
        byte[] datagram = Convert.FromHexString(hex);
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkMessageReader(datagram);
            while (reader.Read())
            {
            }
        });
    }

    [Theory]
    [InlineData("03")]               // shorter than nlattr
    [InlineData("02000100")]         // nla_len 2 < 4
    [InlineData("0C000100AABBCCDD")] // nla_len past the end
    public void Read_MalformedAttribute_ThrowsProtocolException(string hex)
    {
        byte[] attributes = Convert.FromHexString(hex);
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkAttributeReader(attributes);
            while (reader.Read())
            {
            }
        });
    }

    [Fact]
    public void GetUInt32BigEndian_WrongSize_ThrowsProtocolException()
    {
        byte[] attribute = Convert.FromHexString("0600010001020000");
        Assert.Throws<NetlinkProtocolException>(() =>
        {
            var reader = new NetlinkAttributeReader(attribute);
            reader.Read();
            return reader.GetUInt32BigEndian();
        });
    }

    [Fact]
    public void Read_TwoMessagesLastUnpadded_ReadsBoth()
    {
        // 20-byte message then a 17-byte one without trailing padding.
        byte[] datagram = Convert.FromHexString("14000000030002000100000000000000000000001100000003000200020000000000000001");
        var reader = new NetlinkMessageReader(datagram);
        var sequences = new List<uint>();
        while (reader.Read())
        {
            sequences.Add(reader.Current.Header.Sequence);
        }

        Assert.Equal([1u, 2u], sequences);
    }

    [Fact]
    public void GetString_WithAndWithoutNul_SameText()
    {
        var withNul = new NetlinkAttributeReader(Convert.FromHexString("0800010061626300"));
        var withoutNul = new NetlinkAttributeReader(Convert.FromHexString("0700010061626300"));
        withNul.Read();
        withoutNul.Read();

        Assert.Equal("abc", withNul.GetString());
        Assert.Equal("abc", withoutNul.GetString());
        Assert.True(withNul.StringEquals("abc"));
    }
}
