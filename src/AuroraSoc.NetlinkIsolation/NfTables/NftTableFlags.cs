namespace AuroraSoc.NetlinkIsolation.NfTables;

// A kernel value that appears in decoded tables, chains and rules, and so belongs to the library's public model.
// Its values are checked against the kernel headers (tests/AuroraSoc.NetlinkIsolation.Tests/Interop).

/// <summary>
/// enum nft_table_flags. OWNER (Linux 5.12) ties the table to the netlink port id that created it: only that socket
/// may change or delete it, and the kernel deletes it when the socket closes. PERSIST (Linux 6.9) keeps an owned table
/// when its socket closes: it becomes an orphan (owner cleared) that another socket adopts by adding it with OWNER.
/// </summary>
[Flags]
[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1711", Justification = "Named after its uapi enum, nft_table_flags.")]
public enum NftTableFlags : uint
{
    /// <summary>No flags.</summary>
    None = 0,
    /// <summary>NFT_TABLE_F_DORMANT: the table is inactive.</summary>
    Dormant = 0x1,
    /// <summary>NFT_TABLE_F_OWNER (Linux 5.12).</summary>
    Owner = 0x2,
    /// <summary>NFT_TABLE_F_PERSIST (Linux 6.9).</summary>
    Persist = 0x4,
}
