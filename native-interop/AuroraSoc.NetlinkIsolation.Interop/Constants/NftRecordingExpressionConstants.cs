namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

// Attributes of the expressions that record blocked traffic (dynset, counter, limit, log; lookup is with the sets), from
// <linux/netfilter/nf_tables.h>; checked against the kernel header by the interop layout test.

/// <summary>enum nft_dynset_attributes.</summary>
internal enum NftDynsetAttribute : ushort
{
    SetName = 1, SetId = 2, Operation = 3, KeySourceRegister = 4, DataSourceRegister = 5, Timeout = 6, Expression = 7, Pad = 8, Flags = 9,
    Expressions = 10,
}

/// <summary>enum nft_counter_attributes.</summary>
internal enum NftCounterAttribute : ushort { Bytes = 1, Packets = 2, Pad = 3 }

/// <summary>enum nft_limit_attributes.</summary>
internal enum NftLimitAttribute : ushort { Rate = 1, Unit = 2, Burst = 3, Type = 4, Flags = 5, Pad = 6 }

/// <summary>enum nft_log_attributes.</summary>
internal enum NftLogAttribute : ushort { Group = 1, Prefix = 2, SnapLength = 3, QueueThreshold = 4, Level = 5, Flags = 6 }
