using AuroraSoc.NetlinkIsolation.Interop.Constants;

namespace AuroraSoc.NetlinkIsolation.NfTables.Monitor;

/// <summary>
/// One change nf_tables announced on NFNLGRP_NFTABLES. Object events (table, chain, rule, set, element, object,
/// flowtable; new or deleted) name the table they touch; every commit ends with one NEWGEN event naming the new
/// generation and the process that committed. <see cref="PortId"/> is the committing socket's port id (nlmsg_pid of
/// the event: nf_tables_api.c passes the request's NETLINK_CB portid to every notification).
/// </summary>
internal readonly record struct NfTablesEvent(
    NftMessageType Type,
    NfProtocolFamily Family,
    uint PortId,
    string? Table,
    string? Chain,
    NfVerdict? ChainPolicy,
    uint? GenerationId,
    uint? ProcessId,
    string? ProcessName)
{
    /// <summary>True for the NEWGEN event that closes a commit.</summary>
    public bool IsCommitEnd => Type == NftMessageType.NewGen;

    /// <summary>True when the event changes <c>FAMILY TABLE</c> or something inside it.</summary>
    public bool Touches(NfProtocolFamily family, string table) => !IsCommitEnd && Family == family && Table == table;

    /// <summary>What changed, in words an operator reads in a warning, e.g. "chain input deleted".</summary>
    public string Describe() => Type switch
    {
        NftMessageType.NewTable => "table added or its flags changed",
        NftMessageType.DelTable => "table deleted",
        NftMessageType.NewChain when ChainPolicy is NfVerdict.Accept => $"chain {Chain} added or changed (policy accept)",
        NftMessageType.NewChain => $"chain {Chain} added or changed",
        NftMessageType.DelChain => $"chain {Chain} deleted",
        NftMessageType.NewRule => $"rule added to chain {Chain}",
        NftMessageType.DelRule => $"rule deleted from chain {Chain}",
        NftMessageType.NewSet => "set added",
        NftMessageType.DelSet => "set deleted",
        NftMessageType.NewSetElem => "set elements added",
        NftMessageType.DelSetElem => "set elements deleted",
        NftMessageType.NewObj => "stateful object added",
        NftMessageType.DelObj => "stateful object deleted",
        NftMessageType.NewFlowtable => "flowtable added",
        NftMessageType.DelFlowtable => "flowtable deleted",
        _ => NftMessageNames.Name(Type),
    };
}
