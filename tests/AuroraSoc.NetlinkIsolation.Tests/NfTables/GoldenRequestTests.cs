using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Reliability;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>The probe's GETTABLE against the one nft 1.0.6 sends for <c>nft list table inet aurorasoc</c>.</summary>
public class GoldenRequestTests
{
    [Fact]
    public void IsIsolated_GetTableRequest_PayloadEqualsNftsAndOnlyAckFlagDiffers()
    {
        var socket = new FakeNetlinkSocket();
        using var connection = new NfTablesConnection(socket, new NetlinkConnectionOptions { ReplyTimeoutMilliseconds = 1 });
        using HostIsolator isolator = HostIsolator.Create(connection);

        Assert.Throws<IsolationException>(() => isolator.IsIsolated()); // the fake kernel never answers
        byte[] ours = Assert.Single(socket.Delivered);
        byte[] nfts = Assert.Single(TestVector.Load("gettable-probe").Request);

        // Type, nfgenmsg (family inet) and NFTA_TABLE_NAME, padding included, exactly as nft sends them.
        Assert.Equal(Convert.ToHexString(nfts.AsSpan(16)), Convert.ToHexString(ours.AsSpan(16)));
        Assert.Equal(BitConverter.ToUInt16(nfts, 4), BitConverter.ToUInt16(ours, 4));

        // nft sets NLM_F_ACK and then reads NEWTABLE plus an ack; we ask for the reply alone (one recvmsg, no ack
        // to count or leave behind): the only intended difference.
        var nftFlags = (NetlinkMessageFlags)BitConverter.ToUInt16(nfts, 6);
        var ourFlags = (NetlinkMessageFlags)BitConverter.ToUInt16(ours, 6);
        Assert.Equal(NetlinkMessageFlags.Request | NetlinkMessageFlags.Ack, nftFlags);
        Assert.Equal(NetlinkMessageFlags.Request, ourFlags);
    }
}

/// <summary>The kernel's own extended-ack reply (captured from nft's session) through our parser and locator.</summary>
public class KernelErrorReplyTests
{
    [Fact]
    public void Parse_UncappedKernelReplyToRejectedRule_ErrnoOffsetAndAttributeNamed()
    {
        TestVector vector = TestVector.Load("error-reply");
        var reader = new NetlinkMessageReader(vector.Reply[0]);
        Assert.True(reader.Read());

        NetlinkErrorReply reply = NetlinkErrorReply.Parse(reader.Current);

        Assert.Equal(-Errno.ENOENT, reply.Error);
        Assert.Equal(1u, reply.Echoed.Sequence);
        Assert.NotNull(reply.Offset);
        byte[] rejected = vector.Request[1];
        Assert.Equal("NFTA_RULE_TABLE", AuroraSoc.NetlinkIsolation.NfTables.AttributeLocator.Describe(rejected, reply.Offset!.Value));
    }
}
