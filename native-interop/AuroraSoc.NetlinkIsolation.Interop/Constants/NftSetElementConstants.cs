namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

// Values from <linux/netfilter/nf_tables.h> for sets and their elements; checked against the kernel header by the
// interop layout test.

/// <summary>enum nft_set_flags.</summary>
[Flags]
internal enum NftSetFlags : uint
{
    None = 0, Anonymous = 0x1, Constant = 0x2, Interval = 0x4, Map = 0x8, Timeout = 0x10, Eval = 0x20, Object = 0x40, Concat = 0x80, Expression = 0x100,
}

/// <summary>enum nft_set_desc_attributes.</summary>
internal enum NftSetDescriptionAttribute : ushort { Size = 1, Concat = 2 }

/// <summary>enum nft_set_elem_list_attributes.</summary>
internal enum NftSetElementListAttribute : ushort { Table = 1, Set = 2, Elements = 3, SetId = 4 }

/// <summary>enum nft_set_elem_attributes.</summary>
internal enum NftSetElementAttribute : ushort
{
    Key = 1, Data = 2, Flags = 3, Timeout = 4, Expiration = 5, UserData = 6, Expression = 7, Pad = 8, ObjectReference = 9, KeyEnd = 10,
    Expressions = 11,
}
