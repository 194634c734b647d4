using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>
/// Our name ↔ the kernel header's name, for every struct field and every constant of the interop assembly.
/// The headers are whatever linux-libc-dev is installed (Debian 12: 6.1 uapi, with stable backports).
/// </summary>
internal static partial class NativeHeaderTable
{
    public static IReadOnlyList<NativeHeaderEntry> Entries { get; } = Build();

    private static List<NativeHeaderEntry> Build()
    {
        var entries = new List<NativeHeaderEntry>();

        Struct(entries, nameof(NetlinkMessageHeader), "struct nlmsghdr",
            (nameof(NetlinkMessageHeader.Length), "nlmsg_len"),
            (nameof(NetlinkMessageHeader.Type), "nlmsg_type"),
            (nameof(NetlinkMessageHeader.Flags), "nlmsg_flags"),
            (nameof(NetlinkMessageHeader.Sequence), "nlmsg_seq"),
            (nameof(NetlinkMessageHeader.PortId), "nlmsg_pid"));
        Struct(entries, nameof(NetlinkErrorMessage), "struct nlmsgerr",
            (nameof(NetlinkErrorMessage.Error), "error"),
            (nameof(NetlinkErrorMessage.Message), "msg"));
        Struct(entries, nameof(NetlinkAttributeHeader), "struct nlattr",
            (nameof(NetlinkAttributeHeader.Length), "nla_len"),
            (nameof(NetlinkAttributeHeader.Type), "nla_type"));
        Struct(entries, nameof(NfGenMessage), "struct nfgenmsg",
            (nameof(NfGenMessage.Family), "nfgen_family"),
            (nameof(NfGenMessage.Version), "version"),
            (nameof(NfGenMessage.ResourceIdBigEndian), "res_id"));
        Struct(entries, nameof(SockAddrNetlink), "struct sockaddr_nl",
            (nameof(SockAddrNetlink.Family), "nl_family"),
            (nameof(SockAddrNetlink.Pad), "nl_pad"),
            (nameof(SockAddrNetlink.PortId), "nl_pid"),
            (nameof(SockAddrNetlink.Groups), "nl_groups"));

        Struct(entries, nameof(PeerCredentials), "struct ucred",
            (nameof(PeerCredentials.ProcessId), "pid"),
            (nameof(PeerCredentials.UserId), "uid"),
            (nameof(PeerCredentials.GroupId), "gid"));
        SameNames(entries, nameof(UnixSocketPeer), "SO_PEERCRED");

        // pidfds: the system call numbers (asm/unistd.h, shared by every architecture since 5.1) and SO_PEERPIDFD,
        // which Debian 12's 6.1 headers predate (asm-generic/socket.h: 77 since Linux 6.5); the hand-over tests use it
        // on the running kernel, and an older kernel answers ENOPROTOOPT, which falls back to pidfd_open.
        Map(entries, "Interop", ("SYS_pidfd_open", "__NR_pidfd_open"), ("SYS_pidfd_send_signal", "__NR_pidfd_send_signal"));
        entries.Add(new($"{nameof(AuroraSoc.NetlinkIsolation.Interop.Process.ProcessDescriptor)}.SO_PEERPIDFD", "0", NewerThanHeader: "6.5"));

        SameNames(entries, nameof(NetlinkConstants),
            "AF_NETLINK", "SOCK_RAW", "SOCK_CLOEXEC", "NETLINK_NETFILTER", "SOL_NETLINK", "NETLINK_ADD_MEMBERSHIP", "NETLINK_CAP_ACK", "NETLINK_EXT_ACK",
            "NLMSG_ALIGNTO", "NLMSG_HDRLEN", "NLA_HDRLEN");
        Map(entries, nameof(NetlinkMessageType),
            ("Noop", "NLMSG_NOOP"), ("Error", "NLMSG_ERROR"), ("Done", "NLMSG_DONE"), ("Overrun", "NLMSG_OVERRUN"));
        Map(entries, nameof(NetlinkMessageFlags),
            ("None", "0"), // The empty set has no C name.
            ("Request", "NLM_F_REQUEST"), ("Multi", "NLM_F_MULTI"), ("Ack", "NLM_F_ACK"), ("Echo", "NLM_F_ECHO"),
            ("DumpInterrupted", "NLM_F_DUMP_INTR"), ("DumpFiltered", "NLM_F_DUMP_FILTERED"),
            ("Root", "NLM_F_ROOT"), ("Match", "NLM_F_MATCH"), ("Atomic", "NLM_F_ATOMIC"), ("Dump", "NLM_F_DUMP"),
            ("Replace", "NLM_F_REPLACE"), ("Excl", "NLM_F_EXCL"), ("Create", "NLM_F_CREATE"), ("Append", "NLM_F_APPEND"),
            ("Capped", "NLM_F_CAPPED"), ("AckTlvs", "NLM_F_ACK_TLVS"));
        Map(entries, nameof(NetlinkErrorAttribute),
            ("Unused", "NLMSGERR_ATTR_UNUSED"), ("Message", "NLMSGERR_ATTR_MSG"), ("Offset", "NLMSGERR_ATTR_OFFS"),
            ("Cookie", "NLMSGERR_ATTR_COOKIE"), ("Policy", "NLMSGERR_ATTR_POLICY"), ("MissingType", "NLMSGERR_ATTR_MISS_TYPE"),
            ("MissingNest", "NLMSGERR_ATTR_MISS_NEST"));
        Map(entries, nameof(NetlinkAttributeFlags),
            ("Nested", "NLA_F_NESTED"), ("NetworkByteOrder", "NLA_F_NET_BYTEORDER"),
            ("TypeMask", "(unsigned short)NLA_TYPE_MASK")); // The macro is an int, ~(...); nla_type is 16 bits.

        SameNames(entries, nameof(NfNetlinkConstants), "NFNLGRP_NFTABLES", "NFNETLINK_V0", "NFNL_SUBSYS_NFTABLES", "NFNL_MSG_BATCH_BEGIN", "NFNL_MSG_BATCH_END");
        Map(entries, nameof(NfNetlinkConstants), ("NfGenMessageSize", "sizeof(struct nfgenmsg)"));
        Map(entries, nameof(NfProtocolFamily),
            ("Unspecified", "NFPROTO_UNSPEC"), ("Inet", "NFPROTO_INET"), ("IPv4", "NFPROTO_IPV4"), ("Arp", "NFPROTO_ARP"),
            ("NetDev", "NFPROTO_NETDEV"), ("Bridge", "NFPROTO_BRIDGE"), ("IPv6", "NFPROTO_IPV6"));
        Map(entries, nameof(NfInetHook),
            ("PreRouting", "NF_INET_PRE_ROUTING"), ("LocalIn", "NF_INET_LOCAL_IN"), ("Forward", "NF_INET_FORWARD"),
            ("LocalOut", "NF_INET_LOCAL_OUT"), ("PostRouting", "NF_INET_POST_ROUTING"), ("Ingress", "NF_INET_INGRESS"));
        Map(entries, nameof(NfVerdict),
            ("Drop", "NF_DROP"), ("Accept", "NF_ACCEPT"), ("Stolen", "NF_STOLEN"), ("Queue", "NF_QUEUE"), ("Repeat", "NF_REPEAT"),
            ("Stop", "NF_STOP"), ("Continue", "NFT_CONTINUE"), ("Break", "NFT_BREAK"), ("Jump", "NFT_JUMP"), ("Goto", "NFT_GOTO"),
            ("Return", "NFT_RETURN"));

        Map(entries, nameof(NftMessageType),
            ("NewTable", "NFT_MSG_NEWTABLE"), ("GetTable", "NFT_MSG_GETTABLE"), ("DelTable", "NFT_MSG_DELTABLE"),
            ("NewChain", "NFT_MSG_NEWCHAIN"), ("GetChain", "NFT_MSG_GETCHAIN"), ("DelChain", "NFT_MSG_DELCHAIN"),
            ("NewRule", "NFT_MSG_NEWRULE"), ("GetRule", "NFT_MSG_GETRULE"), ("DelRule", "NFT_MSG_DELRULE"),
            ("NewSet", "NFT_MSG_NEWSET"), ("GetSet", "NFT_MSG_GETSET"), ("DelSet", "NFT_MSG_DELSET"),
            ("NewSetElem", "NFT_MSG_NEWSETELEM"), ("GetSetElem", "NFT_MSG_GETSETELEM"), ("DelSetElem", "NFT_MSG_DELSETELEM"),
            ("NewGen", "NFT_MSG_NEWGEN"), ("GetGen", "NFT_MSG_GETGEN"), ("Trace", "NFT_MSG_TRACE"),
            ("NewObj", "NFT_MSG_NEWOBJ"), ("GetObj", "NFT_MSG_GETOBJ"), ("DelObj", "NFT_MSG_DELOBJ"), ("GetObjReset", "NFT_MSG_GETOBJ_RESET"),
            ("NewFlowtable", "NFT_MSG_NEWFLOWTABLE"), ("GetFlowtable", "NFT_MSG_GETFLOWTABLE"), ("DelFlowtable", "NFT_MSG_DELFLOWTABLE"));
        Map(entries, nameof(NftRegister),
            ("Verdict", "NFT_REG_VERDICT"), ("Reg1", "NFT_REG_1"), ("Reg2", "NFT_REG_2"), ("Reg3", "NFT_REG_3"), ("Reg4", "NFT_REG_4"),
            ("Reg32Index01", "NFT_REG32_01"), ("Reg32Index02", "NFT_REG32_02"), ("Reg32Index05", "NFT_REG32_05"));
        Map(entries, nameof(NftListAttribute), ("Element", "NFTA_LIST_ELEM"));
        Map(entries, nameof(NftHookAttribute),
            ("HookNumber", "NFTA_HOOK_HOOKNUM"), ("Priority", "NFTA_HOOK_PRIORITY"), ("Device", "NFTA_HOOK_DEV"), ("Devices", "NFTA_HOOK_DEVS"));
        Map(entries, nameof(NftTableFlags), ("None", "0"), ("Dormant", "NFT_TABLE_F_DORMANT"), ("Owner", "NFT_TABLE_F_OWNER"));

        // NFT_TABLE_F_PERSIST is an enum member (no macro to test with #ifdef); NFT_TABLE_F_MASK gains it in Linux 6.9
        // headers, so the mask without the older bits is PERSIST there and 0 in older ones (Debian 12's 6.1).
        entries.Add(new($"{nameof(NftTableFlags)}.Persist", "NFT_TABLE_F_MASK & ~(NFT_TABLE_F_DORMANT | NFT_TABLE_F_OWNER)", NewerThanHeader: "6.9"));
        Map(entries, nameof(NftTableAttribute),
            ("Name", "NFTA_TABLE_NAME"), ("Flags", "NFTA_TABLE_FLAGS"), ("Use", "NFTA_TABLE_USE"), ("Handle", "NFTA_TABLE_HANDLE"),
            ("Pad", "NFTA_TABLE_PAD"), ("UserData", "NFTA_TABLE_USERDATA"), ("Owner", "NFTA_TABLE_OWNER"));
        Map(entries, nameof(NftChainAttribute),
            ("Table", "NFTA_CHAIN_TABLE"), ("Handle", "NFTA_CHAIN_HANDLE"), ("Name", "NFTA_CHAIN_NAME"), ("Hook", "NFTA_CHAIN_HOOK"),
            ("Policy", "NFTA_CHAIN_POLICY"), ("Use", "NFTA_CHAIN_USE"), ("Type", "NFTA_CHAIN_TYPE"), ("Counters", "NFTA_CHAIN_COUNTERS"),
            ("Pad", "NFTA_CHAIN_PAD"), ("Flags", "NFTA_CHAIN_FLAGS"), ("Id", "NFTA_CHAIN_ID"), ("UserData", "NFTA_CHAIN_USERDATA"));
        Map(entries, nameof(NftRuleAttribute),
            ("Table", "NFTA_RULE_TABLE"), ("Chain", "NFTA_RULE_CHAIN"), ("Handle", "NFTA_RULE_HANDLE"), ("Expressions", "NFTA_RULE_EXPRESSIONS"),
            ("Compat", "NFTA_RULE_COMPAT"), ("Position", "NFTA_RULE_POSITION"), ("UserData", "NFTA_RULE_USERDATA"), ("Pad", "NFTA_RULE_PAD"),
            ("Id", "NFTA_RULE_ID"), ("PositionId", "NFTA_RULE_POSITION_ID"), ("ChainId", "NFTA_RULE_CHAIN_ID"));
        Map(entries, nameof(NftExpressionAttribute), ("Name", "NFTA_EXPR_NAME"), ("Data", "NFTA_EXPR_DATA"));
        Map(entries, nameof(NftDataAttribute), ("Value", "NFTA_DATA_VALUE"), ("Verdict", "NFTA_DATA_VERDICT"));
        Map(entries, nameof(NftVerdictAttribute), ("Code", "NFTA_VERDICT_CODE"), ("Chain", "NFTA_VERDICT_CHAIN"), ("ChainId", "NFTA_VERDICT_CHAIN_ID"));
        Map(entries, nameof(NftImmediateAttribute), ("DestinationRegister", "NFTA_IMMEDIATE_DREG"), ("Data", "NFTA_IMMEDIATE_DATA"));
        Map(entries, nameof(NftCmpAttribute), ("SourceRegister", "NFTA_CMP_SREG"), ("Operator", "NFTA_CMP_OP"), ("Data", "NFTA_CMP_DATA"));
        Map(entries, nameof(NftCmpOperator),
            ("Eq", "NFT_CMP_EQ"), ("Neq", "NFT_CMP_NEQ"), ("Lt", "NFT_CMP_LT"), ("Lte", "NFT_CMP_LTE"), ("Gt", "NFT_CMP_GT"), ("Gte", "NFT_CMP_GTE"));
        Map(entries, nameof(NftBitwiseAttribute),
            ("SourceRegister", "NFTA_BITWISE_SREG"), ("DestinationRegister", "NFTA_BITWISE_DREG"), ("Length", "NFTA_BITWISE_LEN"),
            ("Mask", "NFTA_BITWISE_MASK"), ("Xor", "NFTA_BITWISE_XOR"), ("Operation", "NFTA_BITWISE_OP"), ("Data", "NFTA_BITWISE_DATA"));
        Map(entries, nameof(NftBitwiseOperation),
            // NFT_BITWISE_BOOL is the name every header has; newer ones (Linux 6.13, Debian's 6.1 backports) call the
            // enum member NFT_BITWISE_MASK_XOR and keep NFT_BITWISE_BOOL as a #define for it.
            ("MaskXor", "NFT_BITWISE_BOOL"), ("LeftShift", "NFT_BITWISE_LSHIFT"), ("RightShift", "NFT_BITWISE_RSHIFT"));
        Map(entries, nameof(NftPayloadAttribute),
            ("DestinationRegister", "NFTA_PAYLOAD_DREG"), ("Base", "NFTA_PAYLOAD_BASE"), ("Offset", "NFTA_PAYLOAD_OFFSET"),
            ("Length", "NFTA_PAYLOAD_LEN"), ("SourceRegister", "NFTA_PAYLOAD_SREG"), ("ChecksumType", "NFTA_PAYLOAD_CSUM_TYPE"),
            ("ChecksumOffset", "NFTA_PAYLOAD_CSUM_OFFSET"), ("ChecksumFlags", "NFTA_PAYLOAD_CSUM_FLAGS"));
        Map(entries, nameof(NftPayloadBase),
            ("LinkLayerHeader", "NFT_PAYLOAD_LL_HEADER"), ("NetworkHeader", "NFT_PAYLOAD_NETWORK_HEADER"),
            ("TransportHeader", "NFT_PAYLOAD_TRANSPORT_HEADER"),
            ("InnerHeader", "NFT_PAYLOAD_INNER_HEADER")); // Linux 6.2; present in Debian 12's 6.1 header as a backport.
        Map(entries, nameof(NftMetaAttribute), ("DestinationRegister", "NFTA_META_DREG"), ("Key", "NFTA_META_KEY"), ("SourceRegister", "NFTA_META_SREG"));
        Map(entries, nameof(NftMetaKey),
            ("Length", "NFT_META_LEN"), ("Protocol", "NFT_META_PROTOCOL"), ("Priority", "NFT_META_PRIORITY"), ("Mark", "NFT_META_MARK"),
            ("InputInterface", "NFT_META_IIF"), ("OutputInterface", "NFT_META_OIF"), ("InputInterfaceName", "NFT_META_IIFNAME"),
            ("OutputInterfaceName", "NFT_META_OIFNAME"), ("InputInterfaceType", "NFT_META_IIFTYPE"), ("OutputInterfaceType", "NFT_META_OIFTYPE"),
            ("SocketUid", "NFT_META_SKUID"), ("SocketGid", "NFT_META_SKGID"), ("NfTrace", "NFT_META_NFTRACE"), ("RtClassId", "NFT_META_RTCLASSID"),
            ("SecMark", "NFT_META_SECMARK"), ("NfProto", "NFT_META_NFPROTO"), ("L4Proto", "NFT_META_L4PROTO"));
        Map(entries, nameof(NftCtAttribute),
            ("DestinationRegister", "NFTA_CT_DREG"), ("Key", "NFTA_CT_KEY"), ("Direction", "NFTA_CT_DIRECTION"), ("SourceRegister", "NFTA_CT_SREG"));
        Map(entries, nameof(NftSocketAttribute), ("Key", "NFTA_SOCKET_KEY"), ("DestinationRegister", "NFTA_SOCKET_DREG"), ("Level", "NFTA_SOCKET_LEVEL"));
        Map(entries, nameof(NftCtKey), ("State", "NFT_CT_STATE"), ("Direction", "NFT_CT_DIRECTION"), ("Status", "NFT_CT_STATUS"), ("Mark", "NFT_CT_MARK"));
        Map(entries, nameof(NftCtState),
            ("None", "0"), // The empty set has no C name.
            ("Invalid", "NF_CT_STATE_INVALID_BIT"), ("Established", "NF_CT_STATE_BIT(IP_CT_ESTABLISHED)"),
            ("Related", "NF_CT_STATE_BIT(IP_CT_RELATED)"), ("New", "NF_CT_STATE_BIT(IP_CT_NEW)"), ("Untracked", "NF_CT_STATE_UNTRACKED_BIT"));
        Map(entries, nameof(NftRejectAttribute), ("Type", "NFTA_REJECT_TYPE"), ("IcmpCode", "NFTA_REJECT_ICMP_CODE"));
        Map(entries, nameof(NftRejectType),
            ("IcmpUnreachable", "NFT_REJECT_ICMP_UNREACH"), ("TcpReset", "NFT_REJECT_TCP_RST"), ("IcmpxUnreachable", "NFT_REJECT_ICMPX_UNREACH"));
        Map(entries, nameof(NftGenAttribute), ("Id", "NFTA_GEN_ID"), ("ProcessId", "NFTA_GEN_PROC_PID"), ("ProcessName", "NFTA_GEN_PROC_NAME"));
        Map(entries, nameof(NftSetAttribute),
            ("Table", "NFTA_SET_TABLE"), ("Name", "NFTA_SET_NAME"), ("Flags", "NFTA_SET_FLAGS"), ("KeyType", "NFTA_SET_KEY_TYPE"),
            ("KeyLength", "NFTA_SET_KEY_LEN"), ("DataType", "NFTA_SET_DATA_TYPE"), ("DataLength", "NFTA_SET_DATA_LEN"), ("Policy", "NFTA_SET_POLICY"),
            ("Description", "NFTA_SET_DESC"), ("Id", "NFTA_SET_ID"), ("Timeout", "NFTA_SET_TIMEOUT"), ("GcInterval", "NFTA_SET_GC_INTERVAL"),
            ("UserData", "NFTA_SET_USERDATA"), ("Pad", "NFTA_SET_PAD"), ("ObjectType", "NFTA_SET_OBJ_TYPE"), ("Handle", "NFTA_SET_HANDLE"),
            ("Expression", "NFTA_SET_EXPR"), ("Expressions", "NFTA_SET_EXPRESSIONS"));
        Map(entries, nameof(NftSetDescriptionAttribute), ("Size", "NFTA_SET_DESC_SIZE"), ("Concat", "NFTA_SET_DESC_CONCAT"));
        Map(entries, nameof(NftSetFieldAttribute), ("Length", "NFTA_SET_FIELD_LEN"));
        Map(entries, nameof(NftSetFlags),
            ("None", "0"), ("Anonymous", "NFT_SET_ANONYMOUS"), ("Constant", "NFT_SET_CONSTANT"), ("Interval", "NFT_SET_INTERVAL"), ("Map", "NFT_SET_MAP"),
            ("Timeout", "NFT_SET_TIMEOUT"), ("Eval", "NFT_SET_EVAL"), ("Object", "NFT_SET_OBJECT"), ("Concat", "NFT_SET_CONCAT"),
            ("Expression", "NFT_SET_EXPR"));
        Map(entries, nameof(NftSetElementListAttribute),
            ("Table", "NFTA_SET_ELEM_LIST_TABLE"), ("Set", "NFTA_SET_ELEM_LIST_SET"), ("Elements", "NFTA_SET_ELEM_LIST_ELEMENTS"), ("SetId", "NFTA_SET_ELEM_LIST_SET_ID"));
        Map(entries, nameof(NftSetElementAttribute),
            ("Key", "NFTA_SET_ELEM_KEY"), ("Data", "NFTA_SET_ELEM_DATA"), ("Flags", "NFTA_SET_ELEM_FLAGS"), ("Timeout", "NFTA_SET_ELEM_TIMEOUT"),
            ("Expiration", "NFTA_SET_ELEM_EXPIRATION"), ("UserData", "NFTA_SET_ELEM_USERDATA"), ("Expression", "NFTA_SET_ELEM_EXPR"),
            ("ObjectReference", "NFTA_SET_ELEM_OBJREF"), ("Pad", "NFTA_SET_ELEM_PAD"), ("KeyEnd", "NFTA_SET_ELEM_KEY_END"),
            ("Expressions", "NFTA_SET_ELEM_EXPRESSIONS"));
        Map(entries, nameof(NftSetElementFlags), ("IntervalEnd", "NFT_SET_ELEM_INTERVAL_END"));
        Map(entries, nameof(NftLookupAttribute),
            ("Set", "NFTA_LOOKUP_SET"), ("SourceRegister", "NFTA_LOOKUP_SREG"), ("DestinationRegister", "NFTA_LOOKUP_DREG"),
            ("SetId", "NFTA_LOOKUP_SET_ID"), ("Flags", "NFTA_LOOKUP_FLAGS"));
        MapRecordingConstants(entries);

        SameNames(entries, nameof(NamespaceConstants), "CLONE_NEWNET", "NS_GET_NSTYPE");

        SameNames(entries, nameof(SockDiagConstants),
            "NETLINK_SOCK_DIAG", "SOCK_DIAG_BY_FAMILY", "SOCK_DESTROY", "INET_DIAG_NOCOOKIE", "AF_INET", "AF_INET6", "IPPROTO_TCP", "TCP_ESTABLISHED", "INET_DIAG_CGROUP_ID");
        Struct(entries, nameof(InetDiagSocketId), "struct inet_diag_sockid",
            (nameof(InetDiagSocketId.SourcePortBigEndian), "idiag_sport"),
            (nameof(InetDiagSocketId.DestinationPortBigEndian), "idiag_dport"),
            (nameof(InetDiagSocketId.Source), "idiag_src"),
            (nameof(InetDiagSocketId.Destination), "idiag_dst"),
            (nameof(InetDiagSocketId.Interface), "idiag_if"),
            (nameof(InetDiagSocketId.Cookie), "idiag_cookie"));
        Struct(entries, nameof(InetDiagRequestV2), "struct inet_diag_req_v2",
            (nameof(InetDiagRequestV2.Family), "sdiag_family"),
            (nameof(InetDiagRequestV2.Protocol), "sdiag_protocol"),
            (nameof(InetDiagRequestV2.Extensions), "idiag_ext"),
            (nameof(InetDiagRequestV2.Pad), "pad"),
            (nameof(InetDiagRequestV2.States), "idiag_states"),
            (nameof(InetDiagRequestV2.Id), "id"));
        Struct(entries, nameof(InetDiagMessage), "struct inet_diag_msg",
            (nameof(InetDiagMessage.Family), "idiag_family"),
            (nameof(InetDiagMessage.State), "idiag_state"),
            (nameof(InetDiagMessage.Timer), "idiag_timer"),
            (nameof(InetDiagMessage.Retransmits), "idiag_retrans"),
            (nameof(InetDiagMessage.Id), "id"),
            (nameof(InetDiagMessage.Expires), "idiag_expires"),
            (nameof(InetDiagMessage.ReceiveQueue), "idiag_rqueue"),
            (nameof(InetDiagMessage.SendQueue), "idiag_wqueue"),
            (nameof(InetDiagMessage.Uid), "idiag_uid"),
            (nameof(InetDiagMessage.Inode), "idiag_inode"));

        // The two opaque arrays of inet_diag_sockid: their own size and alignment fix where the fields after them sit.
        Opaque(entries, nameof(InetDiagAddress), "sizeof(((struct inet_diag_sockid *)0)->idiag_src)");
        Opaque(entries, nameof(InetDiagCookie), "sizeof(((struct inet_diag_sockid *)0)->idiag_cookie)");

        Map(entries, nameof(UnixSocketAddress), (nameof(UnixSocketAddress.PathCapacity), "sizeof(((struct sockaddr_un *)0)->sun_path)"));

        // The system resolver (getaddrinfo(3), <netdb.h>).
        Struct(entries, nameof(AddressInfo), "struct addrinfo",
            (nameof(AddressInfo.Flags), "ai_flags"),
            (nameof(AddressInfo.Family), "ai_family"),
            (nameof(AddressInfo.SocketType), "ai_socktype"),
            (nameof(AddressInfo.Protocol), "ai_protocol"),
            (nameof(AddressInfo.AddressLength), "ai_addrlen"),
            (nameof(AddressInfo.Address), "ai_addr"),
            (nameof(AddressInfo.CanonicalName), "ai_canonname"),
            (nameof(AddressInfo.Next), "ai_next"));
        SameNames(entries, nameof(AddressInfoConstants), "EAI_NONAME", "EAI_AGAIN", "EAI_FAIL", "EAI_NODATA", "EAI_MEMORY", "EAI_SYSTEM");

        // The child process of the agent-cgroup probe (posix_spawn(3), <spawn.h>): opaque buffers the C library fills.
        Map(entries, nameof(AuroraSoc.NetlinkIsolation.Interop.Process.ChildProcess),
            ("SpawnFileActionsSize", "sizeof(posix_spawn_file_actions_t)"),
            ("SpawnAttributesSize", "sizeof(posix_spawnattr_t)"),
            ("SignalSetSize", "sizeof(sigset_t)"));
        SameNames(entries, nameof(AuroraSoc.NetlinkIsolation.Interop.Process.ChildProcess), "POSIX_SPAWN_SETSIGMASK", "POSIX_SPAWN_SETSIGDEF");

        // The CLI's output (write(2) on stdout and stderr, <unistd.h>).
        Map(entries, nameof(AuroraSoc.NetlinkIsolation.Interop.Process.StandardDescriptor),
            (nameof(AuroraSoc.NetlinkIsolation.Interop.Process.StandardDescriptor.Output), "STDOUT_FILENO"),
            (nameof(AuroraSoc.NetlinkIsolation.Interop.Process.StandardDescriptor.Error), "STDERR_FILENO"));

        // The guard takes back the signals it is controlled by (sigaction(2), <signal.h>).
        Struct(entries, nameof(SignalAction), "struct sigaction",
            (nameof(SignalAction.Handler), "sa_handler"),
            (nameof(SignalAction.Mask), "sa_mask"),
            (nameof(SignalAction.Flags), "sa_flags"),
            (nameof(SignalAction.Restorer), "sa_restorer"));
        Map(entries, nameof(AuroraSoc.NetlinkIsolation.Interop.Process.SignalDisposition),
            (nameof(AuroraSoc.NetlinkIsolation.Interop.Process.SignalDisposition.Hangup), "SIGHUP"),
            (nameof(AuroraSoc.NetlinkIsolation.Interop.Process.SignalDisposition.Terminate), "SIGTERM"),
            (nameof(AuroraSoc.NetlinkIsolation.Interop.Process.SignalDisposition.Default), "SIG_DFL"),
            (nameof(AuroraSoc.NetlinkIsolation.Interop.Process.SignalDisposition.Ignore), "SIG_IGN"));

        // Errno members are named exactly like <errno.h>'s macros.
        SameNames(entries, nameof(Errno), [.. typeof(Errno).GetFields().Where(field => field.IsLiteral).Select(field => field.Name)]);
        return entries;
    }

    private static void Struct(List<NativeHeaderEntry> entries, string type, string cType, params (string Field, string CField)[] fields)
    {
        entries.Add(new($"{type}.Size", $"sizeof({cType})"));
        entries.Add(new($"sizeof {type}", $"sizeof({cType})"));
        foreach (var (field, cField) in fields)
        {
            entries.Add(new($"offsetof {type}.{field}", $"offsetof({cType}, {cField})"));
            entries.Add(new($"sizeof {type}.{field}", $"sizeof((({cType} *)0)->{cField})"));
        }
    }

    /// <summary>A struct with no public fields that stands for a C array: only its size is compared.</summary>
    private static void Opaque(List<NativeHeaderEntry> entries, string type, string cSize)
    {
        entries.Add(new($"{type}.Size", cSize));
        entries.Add(new($"sizeof {type}", cSize));
    }

    private static void Map(List<NativeHeaderEntry> entries, string type, params (string Member, string CExpression)[] members)
    {
        foreach (var (member, cExpression) in members)
        {
            entries.Add(new($"{type}.{member}", cExpression));
        }
    }

    private static void SameNames(List<NativeHeaderEntry> entries, string type, params string[] names)
    {
        foreach (string name in names)
        {
            entries.Add(new($"{type}.{name}", name));
        }
    }
}
