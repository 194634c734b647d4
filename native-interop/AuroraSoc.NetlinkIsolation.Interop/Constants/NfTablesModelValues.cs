namespace AuroraSoc.NetlinkIsolation.NfTables;

// Kernel values that appear in decoded tables, chains, rules and expressions, and so belong to the library's public
// model. They are declared here, next to the other constants checked against the kernel headers, but in the
// NfTables namespace: nothing from the Interop namespace is public.

/// <summary>Address families as nf_tables uses them (NFPROTO_*, &lt;linux/netfilter.h&gt;).</summary>
public enum NfProtocolFamily : byte
{
    Unspecified = 0,
    Inet = 1,
    IPv4 = 2,
    Arp = 3,
    NetDev = 5,
    Bridge = 7,
    IPv6 = 10,
}

/// <summary>Netfilter hooks (enum nf_inet_hooks, &lt;linux/netfilter.h&gt;).</summary>
public enum NfInetHook : uint
{
    PreRouting = 0,
    LocalIn = 1,
    Forward = 2,
    LocalOut = 3,
    PostRouting = 4,
    Ingress = 5,
}

/// <summary>Netfilter verdicts (&lt;linux/netfilter.h&gt;) and nf_tables' own (enum nft_verdicts).</summary>
public enum NfVerdict : int
{
    Drop = 0,
    Accept = 1,
    Stolen = 2,
    Queue = 3,
    Repeat = 4,
    Stop = 5,
    Continue = -1,
    Break = -2,
    Jump = -3,
    Goto = -4,
    Return = -5,
}

/// <summary>enum nft_registers: the verdict register and the 128-bit data registers.</summary>
internal enum NftRegister : uint
{
    Verdict = 0,
    Reg1 = 1,
    Reg2 = 2,
    Reg3 = 3,
    Reg4 = 4,
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

/// <summary>enum nft_payload_bases.</summary>
internal enum NftPayloadBase : uint { LinkLayerHeader = 0, NetworkHeader = 1, TransportHeader = 2, InnerHeader = 3 }

/// <summary>enum nft_reject_types.</summary>
internal enum NftRejectType : uint { IcmpUnreachable = 0, TcpReset = 1, IcmpxUnreachable = 2 }

/// <summary>
/// enum nft_table_flags. OWNER (Linux 5.12) ties the table to the netlink port id that created it: only that socket
/// may change or delete it, and the kernel deletes it when the socket closes. PERSIST (Linux 6.9) keeps an owned table
/// when its socket closes: it becomes an orphan (owner cleared) that another socket adopts by adding it with OWNER.
/// </summary>
[Flags]
public enum NftTableFlags : uint
{
    None = 0,
    Dormant = 0x1,
    Owner = 0x2,
    Persist = 0x4,
}
