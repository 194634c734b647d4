namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>What restoring one recorded intent did.</summary>
/// <param name="Target">The intent's target, or the file path when the file could not be read.</param>
/// <param name="Table">The table; null when the file could not be read.</param>
/// <param name="Outcome">Restored, skipped (namespace gone, intent kept) or failed.</param>
/// <param name="Error">Why it was skipped or failed.</param>
public sealed record RestoredIntent(string Target, string? Table, RestoreOutcome Outcome, string? Error);

/// <summary>The outcome of restoring one intent (cli.md: <c>restored</c>, <c>skipped-namespace-gone</c>, <c>failed</c>).</summary>
public enum RestoreOutcome
{
    Restored,
    SkippedNamespaceGone,
    Failed,
}
