using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>The reason on the table (NFTA_TABLE_USERDATA): the kernel's reply of vector reason-comment, and the TLV codec.</summary>
public class TableCommentTests
{
    private const string Reason = "INC-4711 isolated by soc@example.com";

    [Fact]
    public void DecodeTable_KernelReplyWithUserData_CommentIsTheReason()
    {
        TestVector vector = TestVector.Load("reason-comment");
        NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(Messages.Concat(vector.Reply), NfProtocolFamily.Inet, "aurorasoc");

        Assert.Equal(Reason, snapshot.Table.Comment);
        Assert.Equal(3u, snapshot.Table.Use);
    }

    [Fact]
    public void Build_PolicyWithAndWithoutReason_TableCommentFollows()
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ReasonPolicy());

        Assert.Equal(Reason, ruleset.Table.Comment);
        Assert.Null(IsolationRuleset.Build(new IsolationPolicy([Endpoint.Parse("192.0.2.10")])).Table.Comment);
    }

    [Fact]
    public void EncodeComment_Text_TypeZeroLengthWithNulThenText()
    {
        Assert.Equal([0, 4, (byte)'a', (byte)'b', (byte)'c', 0], NftUserData.EncodeComment("abc"));
    }

    [Theory]
    [InlineData("0003616263")] // no NUL terminator
    [InlineData("0005616263")] // length runs past the end
    [InlineData("000361006300")] // NUL inside the text
    [InlineData("0000")] // empty value, not even a NUL
    [InlineData("0003ff6100")] // not UTF-8
    [InlineData("01026100")] // another TLV type only
    [InlineData("")]
    public void DecodeComment_MalformedOrAbsent_Null(string hex)
    {
        Assert.Null(NftUserData.DecodeComment(Convert.FromHexString(hex)));
    }

    [Fact]
    public void DecodeComment_AfterAnotherTlv_Found()
    {
        Assert.Equal("ab", NftUserData.DecodeComment(Convert.FromHexString("010201020003616200")));
    }

    /// <summary>The policy whose table nft wrote in the vector reason-comment.</summary>
    internal static IsolationPolicy ReasonPolicy() => new([Endpoint.Parse("192.0.2.10:6514")], reason: Reason);
}
