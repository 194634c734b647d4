namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>The outcome of one finished child process. Output is captured verbatim (UTF-8).</summary>
public sealed record ProcessResult(int ExitCode, string StandardOutput, string StandardError)
{
    /// <summary>The command line, for messages only (arguments are quoted when they contain spaces).</summary>
    public string CommandLine { get; init; } = string.Empty;

    /// <summary>Wall-clock time from start to exit.</summary>
    public TimeSpan Elapsed { get; init; }

    public bool Succeeded => ExitCode == 0;

    /// <summary>Returns this result when the exit code is 0; otherwise throws <see cref="ProcessFailedException"/>
    /// naming the command line, the exit code and stderr.</summary>
    public ProcessResult EnsureSuccess() => Succeeded ? this : throw new ProcessFailedException(this);
}
