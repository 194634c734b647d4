namespace AuroraSoc.NetlinkIsolation.NfTables;

// A kernel value that appears in decoded tables, chains and rules, and so belongs to the library's public model.
// Its values are checked against the kernel headers (tests/AuroraSoc.NetlinkIsolation.Tests/Interop).

/// <summary>Netfilter verdicts (&lt;linux/netfilter.h&gt;) and nf_tables' own (enum nft_verdicts).</summary>
public enum NfVerdict : int
{
    /// <summary>NF_DROP.</summary>
    Drop = 0,
    /// <summary>NF_ACCEPT.</summary>
    Accept = 1,
    /// <summary>NF_STOLEN.</summary>
    Stolen = 2,
    /// <summary>NF_QUEUE.</summary>
    Queue = 3,
    /// <summary>NF_REPEAT.</summary>
    Repeat = 4,
    /// <summary>NF_STOP (deprecated in the kernel).</summary>
    Stop = 5,
    /// <summary>NFT_CONTINUE: go on with the next expression.</summary>
    Continue = -1,
    /// <summary>NFT_BREAK: stop this rule, go on with the next.</summary>
    Break = -2,
    /// <summary>NFT_JUMP to a chain.</summary>
    Jump = -3,
    /// <summary>NFT_GOTO a chain.</summary>
    Goto = -4,
    /// <summary>NFT_RETURN from a chain.</summary>
    Return = -5,
}
