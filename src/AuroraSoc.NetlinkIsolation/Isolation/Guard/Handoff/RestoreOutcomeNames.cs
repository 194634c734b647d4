namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>The names cli.md gives <see cref="RestoreOutcome"/> values in JSON and on the console.</summary>
internal static class RestoreOutcomeNames
{
    public static string Name(RestoreOutcome outcome) => outcome switch
    {
        RestoreOutcome.Restored => "restored",
        RestoreOutcome.SkippedNamespaceGone => "skipped-namespace-gone",
        _ => "failed",
    };

    public static RestoreOutcome Parse(string name) => name switch
    {
        "restored" => RestoreOutcome.Restored,
        "skipped-namespace-gone" => RestoreOutcome.SkippedNamespaceGone,
        _ => RestoreOutcome.Failed,
    };
}
