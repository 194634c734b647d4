namespace AuroraSoc.NetlinkIsolation.NfTables;

// The uapi enums of <linux/netfilter/nf_tables.h> that the expressions name: internal, since the public model
// exposes expressions by what they match, not by register and operator numbers.

/// <summary>enum nft_registers: the verdict register, the 128-bit data registers, and the 32-bit word nft uses for concatenations.</summary>
internal enum NftRegister : uint
{
    Verdict = 0,
    Reg1 = 1,
    Reg2 = 2,
    Reg3 = 3,
    Reg4 = 4,

    /// <summary>NFT_REG32_01: the second 32-bit word of NFT_REG_1, where nft loads a concatenation's second field after an IPv4 address.</summary>
    Reg32Index01 = 9,

    /// <summary>NFT_REG32_02: where nft loads the third part of a concatenated IPv4 key (the recording's protocol).</summary>
    Reg32Index02 = 10,

    /// <summary>NFT_REG32_05: the 32-bit view after an IPv6 address in NFT_REG_1 (an IPv6 key's protocol, after the port in NFT_REG_2).</summary>
    Reg32Index05 = 13,
}

/// <summary>enum nft_cmp_ops.</summary>
internal enum NftCmpOperator : uint { Eq = 0, Neq = 1, Lt = 2, Lte = 3, Gt = 4, Gte = 5 }

/// <summary>enum nft_bitwise_ops.</summary>
internal enum NftBitwiseOperation : uint { MaskXor = 0, LeftShift = 1, RightShift = 2 }

/// <summary>enum nft_ct_keys (the ones this project names).</summary>
internal enum NftCtKey : uint { State = 0, Direction = 1, Status = 2, Mark = 3 }

/// <summary>enum nft_meta_keys (the ones this project names; others decode as their number).</summary>
internal enum NftMetaKey : uint
{
    Length = 0, Protocol = 1, Priority = 2, Mark = 3, InputInterface = 4, OutputInterface = 5, InputInterfaceName = 6, OutputInterfaceName = 7,
    InputInterfaceType = 8, OutputInterfaceType = 9, SocketUid = 10, SocketGid = 11, NfTrace = 12, RtClassId = 13, SecMark = 14,
    NfProto = 15, L4Proto = 16,
}

/// <summary>enum nft_socket_keys (the ones this project names).</summary>
internal enum NftSocketKey : uint { Transparent = 0, Mark = 1, Wildcard = 2, CgroupV2 = 3 }

/// <summary>enum nft_payload_bases.</summary>
internal enum NftPayloadBase : uint { LinkLayerHeader = 0, NetworkHeader = 1, TransportHeader = 2, InnerHeader = 3 }

/// <summary>enum nft_reject_types.</summary>
internal enum NftRejectType : uint { IcmpUnreachable = 0, TcpReset = 1, IcmpxUnreachable = 2 }
