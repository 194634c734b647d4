using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Tests.NfTables;

/// <summary>Events of NFNLGRP_NFTABLES, as the kernel sent them (bytes read from a monitor socket on this machine).</summary>
public class NfTablesEventDecoderTests
{
    // NFT_MSG_NEWGEN from port 0xe4b748bd: NFTA_GEN_ID 2, NFTA_GEN_PROC_PID 12605, NFTA_GEN_PROC_NAME "python3".
    private const string NewGen =
        "30000000" + "0f0a" + "0000" + "66000000" + "bd48b7e4" + "00000000" +
        "0800010000000002" + "080002000000313d" + "0c00030070797468" + "6f6e3300";

    // NFT_MSG_DELRULE for inet aurorasoc chain input from port 4242: NFTA_RULE_TABLE, NFTA_RULE_CHAIN, NFTA_RULE_HANDLE.
    private const string DelRule =
        "3c000000" + "080a" + "0000" + "07000000" + "92100000" + "01000000" +
        "0e0001006175726f7261736f63000000" + "0a000200696e707574000000" + "0c0003000000000000000005";

    // NFT_MSG_NEWCHAIN updating inet aurorasoc input to policy accept: NFTA_CHAIN_TABLE, NFTA_CHAIN_NAME, NFTA_CHAIN_POLICY.
    private const string NewChainPolicyAccept =
        "38000000" + "030a" + "0000" + "08000000" + "92100000" + "01000000" +
        "0e0001006175726f7261736f63000000" + "0a000300696e707574000000" + "0800050000000001";

    [Fact]
    public void DecodeDatagram_NewGen_GenerationAndCommittingProcess()
    {
        var events = new List<NfTablesEvent>();

        NfTablesEventDecoder.DecodeDatagram(Convert.FromHexString(NewGen), events);

        NfTablesEvent commit = Assert.Single(events);
        Assert.True(commit.IsCommitEnd);
        Assert.Equal((2u, 12605u, "python3", 0xe4b748bdu), (commit.GenerationId, commit.ProcessId, commit.ProcessName, commit.PortId));
    }

    [Fact]
    public void DecodeDatagram_RuleDeletedThenCommit_TableChainAndPortInKernelOrder()
    {
        var events = new List<NfTablesEvent>();

        NfTablesEventDecoder.DecodeDatagram(Convert.FromHexString(DelRule + NewGen), events);

        Assert.Equal(2, events.Count);
        NfTablesEvent deleted = events[0];
        Assert.Equal((NftMessageType.DelRule, NfProtocolFamily.Inet, "aurorasoc", "input", 4242u), (deleted.Type, deleted.Family, deleted.Table, deleted.Chain, deleted.PortId));
        Assert.True(deleted.Touches(NfProtocolFamily.Inet, "aurorasoc"));
        Assert.False(deleted.Touches(NfProtocolFamily.Inet, "other"));
        Assert.Equal("rule deleted from chain input", deleted.Describe());
        Assert.True(events[1].IsCommitEnd);
    }

    [Fact]
    public void TryDecode_ChainPolicyAccept_DescribedAsSuch()
    {
        var events = new List<NfTablesEvent>();

        NfTablesEventDecoder.DecodeDatagram(Convert.FromHexString(NewChainPolicyAccept), events);

        Assert.Equal("chain input added or changed (policy accept)", Assert.Single(events).Describe());
    }
}
