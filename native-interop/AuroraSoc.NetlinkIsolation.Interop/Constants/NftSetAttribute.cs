namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>
/// The attributes of NFT_MSG_NEWSET (enum nft_set_attributes, &lt;linux/netfilter/nf_tables.h&gt;): the named sets of a large
/// allowlist and the recording's ledgers (with their per-element NFTA_SET_EXPR) are written and read back through them.
/// </summary>
internal enum NftSetAttribute : ushort
{
    Table = 1, Name = 2, Flags = 3, KeyType = 4, KeyLength = 5, DataType = 6, DataLength = 7, Policy = 8, Description = 9, Id = 10,
    Timeout = 11, GcInterval = 12, UserData = 13, Pad = 14, ObjectType = 15, Handle = 16, Expression = 17, Expressions = 18,
}
