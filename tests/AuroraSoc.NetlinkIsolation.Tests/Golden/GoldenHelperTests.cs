using System.Buffers.Binary;
using Xunit.Sdk;

namespace AuroraSoc.NetlinkIsolation.Tests.Golden;

public class GoldenHelperTests
{
    private const ushort BatchBegin = 0x10;
    private const ushort BatchEnd = 0x11;
    private const ushort NfTables = 10 << 8;
    private const ushort NewTable = NfTables | 0;
    private const ushort DelTable = NfTables | 2;
    private const ushort NewChain = NfTables | 3;
    private const ushort NewRule = NfTables | 6;

    public static TheoryData<string> VectorNames()
    {
        var data = new TheoryData<string>();
        foreach (var name in TestVector.AllNames())
        {
            data.Add(name);
        }

        return data;
    }

    [Fact]
    public void Load_ContractExample_HasBatchBeginAndEnd()
    {
        var vector = TestVector.Load("contract-example");

        Assert.Equal(BatchBegin, TypeOf(vector.Request[0]));
        Assert.Equal(BatchEnd, TypeOf(vector.Request[^1]));
        Assert.Equal(NewTable, TypeOf(vector.Request[1]));
        Assert.StartsWith("table inet aurorasoc {\n", vector.NftInput, StringComparison.Ordinal);
        Assert.Empty(vector.Reply);
    }

    [Fact]
    public void Load_ContractExample_ListingEqualsInput()
    {
        var vector = TestVector.Load("contract-example");

        Assert.Equal(vector.NftInput, vector.Listing);
    }

    [Fact]
    public void Load_IsolateTransaction_HasContractMessageOrder()
    {
        var types = TestVector.Load("isolate-transaction").Request.Select(TypeOf).ToList();

        Assert.Equal([BatchBegin, NewTable, DelTable, NewTable, NewChain, NewChain, NewChain], types.Take(7));
        Assert.All(types.Skip(7).SkipLast(1), t => Assert.Equal(NewRule, t));
        Assert.Equal(BatchEnd, types[^1]);
    }

    [Fact]
    public void Load_ErrorReply_ReplyStartsWithEnoentError()
    {
        var vector = TestVector.Load("error-reply");

        Assert.Equal("add rule inet nosuchtable input accept", vector.NftInput);
        Assert.Equal((ushort)2, TypeOf(vector.Reply[0]));
        Assert.Equal(-2, BinaryPrimitives.ReadInt32LittleEndian(vector.Reply[0].AsSpan(16)));
    }

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void Load_EveryVector_HasRequestMessages(string name)
    {
        var vector = TestVector.Load(name);

        Assert.Equal(name, vector.Name);
        Assert.NotEmpty(vector.NftInput);
        Assert.NotEmpty(vector.Request);
    }

    [Fact]
    public void Load_UnknownName_ThrowsFileNotFound()
    {
        Assert.Throws<FileNotFoundException>(() => TestVector.Load("no-such-vector"));
    }

    [Fact]
    public void Load_PathAsName_ThrowsArgumentException()
    {
        Assert.Throws<ArgumentException>(() => TestVector.Load("../TestVectors/contract-example"));
    }

    [Fact]
    public void Diff_OneByteDifferent_MarksThatRow()
    {
        var expected = Enumerable.Range(0, 40).Select(i => (byte)i).ToArray();
        var actual = (byte[])expected.Clone();
        actual[0x13] = 0xff;

        var lines = HexDump.Diff(expected, actual).Split('\n');

        Assert.Contains("1 byte(s) differ, first at offset 0x0013", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("  0000  00 01", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("- 0010  10 11 12 13 ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("+ 0010  10 11 12 ff ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("  0020  20 21", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("- 0000", StringComparison.Ordinal) || l.StartsWith("- 0020", StringComparison.Ordinal));
        var caret = lines[Array.FindIndex(lines, l => l.StartsWith("+ 0010", StringComparison.Ordinal)) + 1];
        Assert.Equal(new string(' ', 8 + (3 * 3)) + "^^", caret);
    }

    [Fact]
    public void Diff_DifferentLengths_MarksMissingBytes()
    {
        byte[] expected = [1, 2, 3, 4];
        byte[] actual = [1, 2, 3];

        var diff = HexDump.Diff(expected, actual);

        Assert.StartsWith("expected 4 bytes, actual 3 bytes; 1 byte(s) differ, first at offset 0x0003", diff, StringComparison.Ordinal);
        Assert.Contains("- 0000  01 02 03 04 ", diff, StringComparison.Ordinal);
        Assert.Contains("+ 0000  01 02 03    ", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void Diff_EqualBuffers_HasNoMarkedRows()
    {
        var data = TestVector.Load("contract-example").Request[1];

        var diff = HexDump.Diff(data, data);

        Assert.Contains("identical", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("\n- ", diff, StringComparison.Ordinal);
        Assert.DoesNotContain("\n+ ", diff, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesEqual_DifferentSequenceOnly_Passes()
    {
        var expected = TestVector.Load("unisolate-transaction").Request;
        var actual = expected.Select(m => WithSeqAndPid(m, 0x12345678, 4242)).ToList();

        GoldenAssert.MessagesEqual(expected, actual);
    }

    [Fact]
    public void MessagesEqual_DifferentSequenceNotIgnored_Fails()
    {
        var expected = TestVector.Load("unisolate-transaction").Request;
        var actual = expected.Select(m => WithSeqAndPid(m, 0x12345678, 0)).ToList();

        var failure = Assert.Throws<FailException>(() => GoldenAssert.MessagesEqual(expected, actual, ignoreSequenceAndPortId: false));

        Assert.Contains("message 0 of 4 differs", failure.Message, StringComparison.Ordinal);
        Assert.Contains("NFNL_MSG_BATCH_BEGIN", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesEqual_DifferentPayload_FailsWithIndexTypeAndDiff()
    {
        var expected = TestVector.Load("contract-example").Request;
        var actual = expected.Select(m => (byte[])m.Clone()).ToList();
        actual[5][^1] ^= 0x01;

        var failure = Assert.Throws<FailException>(() => GoldenAssert.MessagesEqual(expected, actual));

        Assert.Contains("message 5 of 29 differs", failure.Message, StringComparison.Ordinal);
        Assert.Contains("NFT_MSG_NEWRULE", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\n- 00", failure.Message, StringComparison.Ordinal);
        Assert.Contains("\n+ 00", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MessagesEqual_MissingMessage_FailsWithCounts()
    {
        var expected = TestVector.Load("unisolate-transaction").Request;
        var actual = expected.Take(3).ToList();

        var failure = Assert.Throws<FailException>(() => GoldenAssert.MessagesEqual(expected, actual));

        Assert.Contains("message count differs: expected 4, actual 3", failure.Message, StringComparison.Ordinal);
        Assert.Contains("NFNL_MSG_BATCH_END", failure.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData((ushort)0x0010, "NFNL_MSG_BATCH_BEGIN")]
    [InlineData((ushort)0x0011, "NFNL_MSG_BATCH_END")]
    [InlineData((ushort)0x0002, "NLMSG_ERROR")]
    [InlineData((ushort)0x0a00, "NFT_MSG_NEWTABLE")]
    [InlineData((ushort)0x0a06, "NFT_MSG_NEWRULE")]
    [InlineData((ushort)0x0a0f, "NFT_MSG_NEWGEN")]
    public void MessageTypeName_KnownType_ReturnsUapiName(ushort type, string name)
    {
        Assert.Equal(name, GoldenAssert.MessageTypeName(type));
    }

    private static ushort TypeOf(byte[] message) => BinaryPrimitives.ReadUInt16LittleEndian(message.AsSpan(4));

    private static byte[] WithSeqAndPid(byte[] message, uint seq, uint pid)
    {
        var copy = (byte[])message.Clone();
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(8), seq);
        BinaryPrimitives.WriteUInt32LittleEndian(copy.AsSpan(12), pid);
        return copy;
    }
}
