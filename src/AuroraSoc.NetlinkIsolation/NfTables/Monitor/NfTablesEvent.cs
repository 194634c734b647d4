using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.NfTables.Monitor;

/// <summary>
/// One change nf_tables announced on NFNLGRP_NFTABLES. Object events (table, chain, rule, set, element, object,
/// flowtable; new or deleted) name the table they touch; every commit ends with one NEWGEN event naming the new
/// generation and the process that committed. <see cref="PortId"/> is the committing socket's port id (nlmsg_pid of
/// the event: nf_tables_api.c passes the request's NETLINK_CB portid to every notification).
/// </summary>
public readonly record struct NfTablesEvent(
    NfTablesMessageType Type,
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
    public bool IsCommitEnd => Type == NfTablesMessageType.NewGen;

    /// <summary>True when the event changes <c>FAMILY TABLE</c> or something inside it.</summary>
    public bool Touches(NfProtocolFamily family, string table) => !IsCommitEnd && Family == family && Table == table;

    /// <summary>What changed, in words an operator reads in a warning, e.g. "chain input deleted".</summary>
    public string Describe() => Type switch
    {
        NfTablesMessageType.NewTable => "table added or its flags changed",
        NfTablesMessageType.DelTable => "table deleted",
        NfTablesMessageType.NewChain when ChainPolicy is NfVerdict.Accept => $"chain {Chain} added or changed (policy accept)",
        NfTablesMessageType.NewChain => $"chain {Chain} added or changed",
        NfTablesMessageType.DelChain => $"chain {Chain} deleted",
        NfTablesMessageType.NewRule => $"rule added to chain {Chain}",
        NfTablesMessageType.DelRule => $"rule deleted from chain {Chain}",
        NfTablesMessageType.NewSet => "set added",
        NfTablesMessageType.DelSet => "set deleted",
        NfTablesMessageType.NewSetElem => "set elements added",
        NfTablesMessageType.DelSetElem => "set elements deleted",
        NfTablesMessageType.NewObj => "stateful object added",
        NfTablesMessageType.DelObj => "stateful object deleted",
        NfTablesMessageType.NewFlowtable => "flowtable added",
        NfTablesMessageType.DelFlowtable => "flowtable deleted",
        _ => NfTablesMessageNames.Name(NfNetlinkConstants.NfTablesType(Type)),
    };
}
