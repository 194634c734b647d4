namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>A verdict value: the code and, for jump/goto, the target chain.</summary>
internal readonly record struct NftVerdictData(NfVerdict Code, string? Chain = null);
