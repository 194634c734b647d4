using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Monitor;

namespace AuroraSoc.NetlinkIsolation.Tests.Guard;

/// <summary>NFNLGRP_NFTABLES events as the guard's event thread decodes them, written by hand.</summary>
internal static class GuardEvents
{
    public const string Table = "aurorasoc_isolation";

    public static NfTablesEvent ChainDeleted(uint portId, string table = Table, string chain = "output", NfProtocolFamily family = NfProtocolFamily.Inet)
        => new(NftMessageType.DelChain, family, portId, table, chain, null, null, null, null);

    public static NfTablesEvent RuleAdded(uint portId, string table = Table, string chain = "output")
        => new(NftMessageType.NewRule, NfProtocolFamily.Inet, portId, table, chain, null, null, null, null);

    /// <summary>The NEWGEN closing a commit by <paramref name="processName"/> (pid <paramref name="processId"/>) over <paramref name="portId"/>.</summary>
    public static NfTablesEvent CommitEnd(uint portId, string processName = "nft", uint processId = 4242, uint generation = 7)
        => new(NftMessageType.NewGen, NfProtocolFamily.Unspecified, portId, null, null, null, generation, processId, processName);
}
