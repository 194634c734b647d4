using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.Tests.Golden;
using AuroraSoc.NetlinkIsolation.Tests.Support;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>
/// The agent-identity matches (<c>socket cgroupv2</c>, <c>meta skuid</c>, <c>meta skgid</c>) against nft 1.0.6's bytes in
/// tests/TestVectors/agent-identity.request.hex. The cgroup id in that capture is an inode number of the capturing
/// machine; the tests read it from the capture and substitute their own.
/// </summary>
public class SocketIdentityCodecTests
{
    // The three collector rules of the vector: BEGIN, NEWTABLE, 3 NEWCHAIN, then input (6) and output (5) rules before them.
    private const int CgroupRuleIndex = 16;
    private const int UserRuleIndex = 17;
    private const int GroupRuleIndex = 18;
    private const ulong OurCgroupId = 0x0000_0001_2345_6789;

    public static TheoryData<string> Kinds => new() { "cgroup", "user", "group" };

    [Theory]
    [MemberData(nameof(Kinds))]
    public void AddRule_IdentityCollectorRule_EqualsNftBytes(string kind)
    {
        (NftRule rule, byte[] expected) = RuleAndCapture(kind);
        using var batch = new NfTablesBatch();
        batch.Begin(0);
        batch.AddRule(rule);
        batch.End();

        GoldenAssert.MessagesEqual([expected], [Messages.Split(batch.Bytes)[1]]);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void DecodeRule_NftBytes_EquivalentToBuiltRule(string kind)
    {
        (NftRule rule, byte[] expected) = RuleAndCapture(kind);

        NftRule decoded = Decode(expected);

        Assert.True(rule.IsEquivalentTo(decoded), $"{NftSyntaxRenderer.RenderRule(rule)} vs {NftSyntaxRenderer.RenderRule(decoded)}");
        Assert.DoesNotContain(decoded.Expressions, e => e is OpaqueExpression);
    }

    [Theory]
    [InlineData("cgroup", "ip daddr 192.0.2.10 tcp dport 6514 socket cgroupv2 level 2 \"unified/system.slice/agent.service\" accept")]
    [InlineData("user", "ip daddr 192.0.2.10 tcp dport 6514 meta skuid 998 accept")]
    [InlineData("group", "ip daddr 192.0.2.10 tcp dport 6514 meta skgid 998 accept")]
    public void RenderRule_DecodedIdentityRule_PrintsAsNft(string kind, string expected)
    {
        NftRule decoded = Decode(RuleAndCapture(kind).Capture);

        string rendered = NftSyntaxRenderer.RenderRule(decoded, id => id == OurCgroupId ? "unified/system.slice/agent.service" : null);

        Assert.Equal(expected, rendered);
    }

    [Fact]
    public void RenderRule_CgroupIdNoDirectoryHas_PrintsBareNumber()
    {
        NftRule rule = CollectorRule().SocketCgroupV2(2, OurCgroupId).Accept().Build(NfProtocolFamily.Inet, "aurorasoc", "output");

        string rendered = NftSyntaxRenderer.RenderRule(rule, _ => null);

        Assert.Equal("ip daddr 192.0.2.10 tcp dport 6514 socket cgroupv2 level 2 4886718345 accept", rendered);
    }

    [Fact]
    public void RenderRule_DefaultLookupCgroupIdZero_PrintsBareZero()
    {
        NftRule rule = CollectorRule().SocketCgroupV2(1, 0).Accept().Build(NfProtocolFamily.Inet, "aurorasoc", "output");

        Assert.Equal("ip daddr 192.0.2.10 tcp dport 6514 socket cgroupv2 level 1 0 accept", NftSyntaxRenderer.RenderRule(rule));
    }

    [Fact]
    public void MountPoints_HybridMountInfo_OnlyCgroup2UnderSysFsCgroup()
    {
        const string mountInfo =
            "31 23 0:27 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755\n" +
            "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw\n" +
            "42 31 0:39 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory\n" +
            "90 22 0:50 / /mnt/other\\040cg rw - cgroup2 cgroup2 rw\n" +
            "91 31 0:51 / /sys/fs/cgroup/odd\\040name rw - cgroup2 cgroup2 rw\n";

        Assert.Equal(["/sys/fs/cgroup/unified", "/sys/fs/cgroup/odd name"], CgroupV2Directory.MountPoints(mountInfo));
    }

    internal static byte[] SubstituteCgroupId(byte[] captured, ulong id)
    {
        // NFTA_DATA_VALUE (len 12, type 1) holding the captured u64 id, host order as nft wrote it.
        ulong capturedId = CapturedCgroupId(captured);
        byte[] pattern = [0x0c, 0x00, 0x01, 0x00, .. BitConverter.GetBytes(capturedId)];
        int at = captured.AsSpan().IndexOf(pattern);
        Assert.True(at >= 0 && captured.AsSpan(at + 1).IndexOf(pattern) < 0, "the cgroup id occurs exactly once");
        byte[] copy = (byte[])captured.Clone();
        BinaryPrimitives.WriteUInt64LittleEndian(copy.AsSpan(at + 4), id);
        return copy;
    }

    private static ulong CapturedCgroupId(byte[] captured)
    {
        IReadOnlyList<NftExpression> e = Decode(captured).Expressions;
        int socket = e.ToList().FindIndex(x => x is SocketExpression);
        return BinaryPrimitives.ReadUInt64LittleEndian(((CmpExpression)e[socket + 1]).Data);
    }

    private static (NftRule Rule, byte[] Capture) RuleAndCapture(string kind)
    {
        IReadOnlyList<byte[]> request = TestVector.Load("agent-identity").Request;
        (NftRuleBuilder builder, byte[] capture) = kind switch
        {
            "cgroup" => (CollectorRule().SocketCgroupV2(2, OurCgroupId), SubstituteCgroupId(request[CgroupRuleIndex], OurCgroupId)),
            "user" => (CollectorRule().SocketUser(998), request[UserRuleIndex]),
            _ => (CollectorRule().SocketGroup(998), request[GroupRuleIndex]),
        };
        return (builder.Accept().Build(NfProtocolFamily.Inet, "aurorasoc", "output"), capture);
    }

    private static NftRuleBuilder CollectorRule()
        => new NftRuleBuilder().Address(false, IPAddress.Parse("192.0.2.10"), 32).Ports(ProtocolType.Tcp, null, 6514);

    private static NftRule Decode(byte[] message)
    {
        var reader = new NetlinkMessageReader(message);
        Assert.True(reader.Read());
        return NfTablesDecoder.DecodeRule(reader.Current);
    }
}
