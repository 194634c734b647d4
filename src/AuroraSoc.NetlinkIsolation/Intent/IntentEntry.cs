namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>One intent file: its intent, or why it could not be read (then <see cref="Intent"/> is null).</summary>
internal sealed record IntentEntry(string FilePath, IsolationIntent? Intent, string? Error);
