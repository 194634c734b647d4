namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The exit codes of cli.md; scripts branch on these, so they never change meaning.</summary>
internal static class ExitCodes
{
    /// <summary>Done; for status: isolated; for show: printed.</summary>
    public const int Success = 0;

    /// <summary>The operation failed (for isolate: nothing changed).</summary>
    public const int Failed = 1;

    /// <summary>Invalid arguments; the kernel was not touched.</summary>
    public const int InvalidArguments = 2;

    /// <summary>status and show: the isolation table does not exist.</summary>
    public const int NotIsolated = 3;

    /// <summary>status: the table exists but a base chain is missing or not <c>policy drop</c>.</summary>
    public const int Degraded = 4;
}
