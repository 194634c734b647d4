namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

// Values from <linux/netfilter/nf_tables.h>. Every one of them is checked against the installed
// kernel header by the interop layout test, so a typo fails CI instead of corrupting a batch.

/// <summary>enum nf_tables_msg_types.</summary>
internal enum NftMessageType : byte
{
    NewTable = 0,
    GetTable = 1,
    DelTable = 2,
    NewChain = 3,
    GetChain = 4,
    DelChain = 5,
    NewRule = 6,
    GetRule = 7,
    DelRule = 8,
    NewSet = 9,
    GetSet = 10,
    DelSet = 11,
    NewSetElem = 12,
    GetSetElem = 13,
    DelSetElem = 14,
    NewGen = 15,
    GetGen = 16,
    Trace = 17,
    NewObj = 18,
    GetObj = 19,
    DelObj = 20,
    GetObjReset = 21,
    NewFlowtable = 22,
    GetFlowtable = 23,
    DelFlowtable = 24,
}

/// <summary>enum nft_list_attributes.</summary>
internal enum NftListAttribute : ushort { Element = 1 }

/// <summary>enum nft_hook_attributes.</summary>
internal enum NftHookAttribute : ushort { HookNumber = 1, Priority = 2, Device = 3, Devices = 4 }

/// <summary>enum nft_table_attributes.</summary>
internal enum NftTableAttribute : ushort { Name = 1, Flags = 2, Use = 3, Handle = 4, Pad = 5, UserData = 6, Owner = 7 }

/// <summary>enum nft_chain_attributes.</summary>
internal enum NftChainAttribute : ushort
{
    Table = 1, Handle = 2, Name = 3, Hook = 4, Policy = 5, Use = 6, Type = 7, Counters = 8, Pad = 9, Flags = 10, Id = 11, UserData = 12,
}

/// <summary>enum nft_rule_attributes.</summary>
internal enum NftRuleAttribute : ushort
{
    Table = 1, Chain = 2, Handle = 3, Expressions = 4, Compat = 5, Position = 6, UserData = 7, Pad = 8, Id = 9, PositionId = 10, ChainId = 11,
}

/// <summary>enum nft_expr_attributes.</summary>
internal enum NftExpressionAttribute : ushort { Name = 1, Data = 2 }

/// <summary>enum nft_data_attributes.</summary>
internal enum NftDataAttribute : ushort { Value = 1, Verdict = 2 }

/// <summary>enum nft_verdict_attributes.</summary>
internal enum NftVerdictAttribute : ushort { Code = 1, Chain = 2, ChainId = 3 }

/// <summary>enum nft_immediate_attributes.</summary>
internal enum NftImmediateAttribute : ushort { DestinationRegister = 1, Data = 2 }

/// <summary>enum nft_cmp_attributes.</summary>
internal enum NftCmpAttribute : ushort { SourceRegister = 1, Operator = 2, Data = 3 }

/// <summary>enum nft_bitwise_attributes.</summary>
internal enum NftBitwiseAttribute : ushort { SourceRegister = 1, DestinationRegister = 2, Length = 3, Mask = 4, Xor = 5, Operation = 6, Data = 7 }

/// <summary>enum nft_payload_attributes.</summary>
internal enum NftPayloadAttribute : ushort
{
    DestinationRegister = 1, Base = 2, Offset = 3, Length = 4, SourceRegister = 5, ChecksumType = 6, ChecksumOffset = 7, ChecksumFlags = 8,
}

/// <summary>enum nft_meta_attributes.</summary>
internal enum NftMetaAttribute : ushort { DestinationRegister = 1, Key = 2, SourceRegister = 3 }

/// <summary>enum nft_socket_attributes (NFTA_SOCKET_LEVEL since Linux 5.13).</summary>
internal enum NftSocketAttribute : ushort { Key = 1, DestinationRegister = 2, Level = 3 }

/// <summary>enum nft_ct_attributes.</summary>
internal enum NftCtAttribute : ushort { DestinationRegister = 1, Key = 2, Direction = 3, SourceRegister = 4 }

/// <summary>Connection-tracking state bits as nf_tables loads them (NF_CT_STATE_BIT, &lt;linux/netfilter/nf_conntrack_common.h&gt;).</summary>
[Flags]
internal enum NftCtState : uint
{
    None = 0,
    Invalid = 1,
    Established = 2,
    Related = 4,
    New = 8,
    Untracked = 64,
}

/// <summary>enum nft_reject_attributes.</summary>
internal enum NftRejectAttribute : ushort { Type = 1, IcmpCode = 2 }

/// <summary>enum nft_gen_attributes.</summary>
internal enum NftGenAttribute : ushort { Id = 1, ProcessId = 2, ProcessName = 3 }

/// <summary>enum nft_set_desc_attributes.</summary>
internal enum NftSetDescriptionAttribute : ushort { Size = 1, Concat = 2 }

/// <summary>enum nft_set_field_attributes.</summary>
internal enum NftSetFieldAttribute : ushort { Length = 1 }

/// <summary>enum nft_set_flags.</summary>
[Flags]
internal enum NftSetFlags : uint
{
    None = 0, Anonymous = 0x1, Constant = 0x2, Interval = 0x4, Map = 0x8, Timeout = 0x10, Eval = 0x20, Object = 0x40, Concat = 0x80, Expression = 0x100,
}

/// <summary>enum nft_set_elem_list_attributes.</summary>
internal enum NftSetElementListAttribute : ushort { Table = 1, Set = 2, Elements = 3, SetId = 4 }

/// <summary>enum nft_set_elem_attributes.</summary>
internal enum NftSetElementAttribute : ushort
{
    Key = 1, Data = 2, Flags = 3, Timeout = 4, Expiration = 5, UserData = 6, Expression = 7, Pad = 8, ObjectReference = 9, KeyEnd = 10,
    Expressions = 11,
}

/// <summary>enum nft_set_elem_flags.</summary>
internal enum NftSetElementFlags : uint { IntervalEnd = 0x1 }

/// <summary>enum nft_lookup_attributes.</summary>
internal enum NftLookupAttribute : ushort { Set = 1, SourceRegister = 2, DestinationRegister = 3, SetId = 4, Flags = 5 }
