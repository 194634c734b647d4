namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>One intent's result in a restore pass.</summary>
/// <param name="Target">The intent's target; for an intent file that could not be read, the file's path.</param>
/// <param name="Table">The intent's table; null for an intent file that could not be read.</param>
/// <param name="Outcome">Restored, skipped or failed.</param>
/// <param name="Error">Why it failed or was skipped; null when restored.</param>
/// <param name="FilePath">The intent file.</param>
public sealed record RestoreResult(string Target, string? Table, RestoreOutcome Outcome, string? Error, string FilePath);
