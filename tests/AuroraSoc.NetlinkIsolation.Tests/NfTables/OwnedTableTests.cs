using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.Testing.Policies;
using AuroraSoc.NetlinkIsolation.Tests.Golden;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>
/// Tables with NFT_TABLE_F_OWNER / PERSIST: decoding NFTA_TABLE_FLAGS and NFTA_TABLE_OWNER, and printing them as nft
/// 1.0.6 does (measured on this machine's kernel: `# progname NAME` on the table line, `flags owner`, then a blank line;
/// an orphaned PERSIST table prints `flags ` alone).
/// </summary>
public class OwnedTableTests
{
    private const string FirstLine = "table inet aurorasoc {\n";

    [Fact]
    public void DecodeTable_KernelReplyWithOwner_FlagsAndOwnerPortId()
    {
        NftTable table = Decode(flags: 0x6, owner: 0xe4b748bd);

        Assert.Equal(NftTableFlags.Owner | NftTableFlags.Persist, table.TableFlags);
        Assert.Equal(0xe4b748bdu, table.Owner);
    }

    [Fact]
    public void Render_OwnedTable_ProgramOnTableLineAndFlagsOwnerBeforeTheChains()
    {
        string contract = TestVector.Load("contract-example").Listing!;

        string rendered = NftSyntaxRenderer.Render(ContractWith(Decode(flags: 0x6, owner: 77)), "aurorasoc-isol");

        Assert.Equal("table inet aurorasoc { # progname aurorasoc-isol\n\tflags owner\n\n" + contract[FirstLine.Length..], rendered);
    }

    [Fact]
    public void Render_OwnerNotFound_PrintsNullAsNftDoes()
    {
        string rendered = NftSyntaxRenderer.Render(ContractWith(Decode(flags: 0x6, owner: 77)), ownerProgramName: null);

        Assert.StartsWith("table inet aurorasoc { # progname (null)\n\tflags owner\n\n\tchain input {\n", rendered, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_OrphanedPersistTable_FlagsWithoutAName()
    {
        string contract = TestVector.Load("contract-example").Listing!;

        string rendered = NftSyntaxRenderer.Render(ContractWith(Decode(flags: 0x4, owner: null)));

        Assert.Equal("table inet aurorasoc {\n\tflags \n\n" + contract[FirstLine.Length..], rendered);
    }

    [Fact]
    public void FindSocketInode_ProcNetNetlinkListing_InodeOfTheNetfilterSocketWithThatPort()
    {
        const string listing =
            "sk               Eth Pid        Groups   Rmem     Wmem     Dump  Locks    Drops    Inode\n" +
            "0000000000000000 0   3837216957 00000000 0        0        0     2        0        55501\n" +
            "0000000000000000 12  3837216957 00000000 0        0        0     2        0        55502\n" +
            "0000000000000000 12  12605      00000040 0        0        0     2        0        55503\n";

        Assert.Equal(55502ul, NftTableOwner.FindSocketInode(listing, 3837216957));
        Assert.Equal(55503ul, NftTableOwner.FindSocketInode(listing, 12605));
        Assert.Null(NftTableOwner.FindSocketInode(listing, 1));
    }

    [Theory]
    [InlineData("4242 (aurorasoc-isol) S 1 4242 4242 0 -1", "aurorasoc-isol")]
    [InlineData("4242 (a b) S 1", "a b")]
    [InlineData("4242 (x)y) S 1", "x")] // nft's scanf stops at the first ')'
    public void CommandNameFromStat_StatLine_NameAsNftReadsIt(string stat, string name)
        => Assert.Equal(name, NftTableOwner.CommandNameFromStat(stat));

    private static NftTableSnapshot ContractWith(NftTable table)
    {
        IsolationRuleset ruleset = IsolationRuleset.Build(ContractPolicies.Example());
        return new NftTableSnapshot(table, ruleset.Chains, ruleset.Rules);
    }

    /// <summary>A NEWTABLE reply as the kernel sends it (nf_tables_fill_table_info: name, flags, use, handle, owner).</summary>
    private static NftTable Decode(uint flags, uint? owner)
    {
        using var buffer = new NetlinkBuffer(256);
        var writer = new NetlinkWriter(buffer);
        MessageToken token = writer.BeginMessage(NfNetlinkConstants.NfTablesType(NftMessageType.NewTable), NetlinkMessageFlags.None, 1);
        writer.WriteNfGenMessage(NfProtocolFamily.Inet, 0);
        writer.WriteString(1, "aurorasoc");
        writer.WriteUInt32BigEndian(2, flags);
        writer.WriteUInt32BigEndian(3, 3);
        writer.WriteUInt64BigEndian(4, 9);
        if (owner is uint port)
        {
            writer.WriteUInt32BigEndian(7, port);
        }

        writer.EndMessage(token);
        var reader = new NetlinkMessageReader(buffer.WrittenSpan);
        Assert.True(reader.Read());
        return NfTablesDecoder.DecodeTable(reader.Current);
    }
}
