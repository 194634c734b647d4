using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.Reliability;

/// <summary>
/// Found by coverage-guided fuzzing (target extack-locator): the locator turns the kernel's NLMSGERR_ATTR_OFFS into
/// an attribute path and must answer null for an offset it cannot place, never throw — it runs while a refused
/// batch is being reported, and an exception there would replace the kernel's answer.
/// </summary>
public sealed class AttributeLocatorFindingTests
{
    /// <summary>
    /// BUG: a message whose nlmsg_len (17 here) is shorter than nlmsghdr + nfgenmsg (20) made Describe slice
    /// [20..17] and throw ArgumentOutOfRangeException for any offset past the nfgenmsg.
    /// </summary>
    [Theory]
    // Hand-minimised: nlmsg_len 17, NFT_MSG_NEWRULE, 24 bytes in the buffer; offset 20 (the first attribute byte).
    [InlineData("11000000060A050000000000000000000100000000000000", 20)]
    // As afl-fuzz found it (a mutated NEWRULE of the isolate batch, nlmsg_len 17), offset 236.
    [InlineData(
        "11000000060A010C1200000000000000010000000E0001006175726F7261736F630000000B0002006F75747075740000C400048020000180070001006374000014000280080002000000000008000100"
        + "00000001440001800C000100626974776973650034000280080000000108000200000000010C000380080001000000000030048008000100060000000C0003800800010000000000300001870E000100"
        + "696D6D6564696174080001000000000108000200000000010C0003800800010000000000300001800E000100696D6D6564696174650000001C00028007FA010000000000100002800C00028008000100"
        + "0000F400",
        236)]
    public void Describe_NlmsgLenShorterThanNfgenmsg_ReturnsNull(string messageHex, int offset)
    {
        byte[] message = Convert.FromHexString(messageHex);

        Assert.Null(AttributeLocator.Describe(message, offset));
    }
}
