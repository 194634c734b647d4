using AuroraSoc.NetlinkIsolation.Cli.Core;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>What one in-process run of the CLI did (<see cref="InProcessCli"/>).</summary>
internal sealed class CliRun
{
    public int ExitCode { get; set; }

    public string StandardOutput { get; set; } = string.Empty;

    public string StandardError { get; set; } = string.Empty;

    /// <summary>The stderr lines (the contract: exactly one for every failure).</summary>
    public string[] ErrorLines => StandardError.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>The arguments guard's runner was given; null when it was not called.</summary>
    public GuardArguments? Guard { get; set; }

    /// <summary>Each time the run tried to reach the kernel, and for what: empty for every refused command line.</summary>
    public List<string> KernelRequests { get; } = [];
}
