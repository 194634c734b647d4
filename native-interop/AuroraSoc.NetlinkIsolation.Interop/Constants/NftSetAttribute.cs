namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>
/// The attributes of NFT_MSG_NEWSET this project reads (enum nft_set_attributes, &lt;linux/netfilter/nf_tables.h&gt;):
/// enough to list a table's sets, named and anonymous, which a rollback could not restore.
/// </summary>
internal enum NftSetAttribute : ushort { Table = 1, Name = 2 }
