using System.Text.Json.Serialization;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>
/// The <c>--json</c> object every command prints (cli.md): these keys are always present, <c>null</c> when they do
/// not apply, so scripts can read them without checking for absence.
/// </summary>
internal class CliReport
{
    [JsonPropertyOrder(-6)]
    public string Command { get; init; } = string.Empty;

    /// <summary>The command did its job; for status also when the state is not-isolated or degraded (see <c>state</c>).</summary>
    [JsonPropertyOrder(-5)]
    public bool Ok { get; init; }

    /// <summary><c>isolated</c>, <c>not-isolated</c>, <c>degraded</c>, or null when unknown (invalid input, no permission).</summary>
    [JsonPropertyOrder(-4)]
    public string? State { get; init; }

    [JsonPropertyOrder(-3)]
    public string? Table { get; init; }

    /// <summary>The namespace path acted on; null for the namespace the CLI ran in.</summary>
    [JsonPropertyOrder(-2)]
    public string? Netns { get; init; }

    [JsonPropertyOrder(-1)]
    public CliErrorReport? Error { get; init; }
}

/// <summary>isolate: what the transaction installed.</summary>
internal sealed class IsolateReport : CliReport
{
    public int? Rules { get; init; }

    public int? Chains { get; init; }

    public int? BatchBytes { get; init; }

    public long? ElapsedMicroseconds { get; init; }
}

/// <summary>unisolate: whether a table was there to delete.</summary>
internal sealed class UnisolateReport : CliReport
{
    /// <summary>True when the table existed and was deleted; false when there was nothing to do; null on failure.</summary>
    public bool? Changed { get; init; }

    public long? ElapsedMicroseconds { get; init; }
}

/// <summary>status: the state and, when degraded, why.</summary>
internal sealed class StatusReport : CliReport
{
    public IReadOnlyList<string> Problems { get; init; } = [];

    public int? Rules { get; init; }

    public int? Chains { get; init; }

    /// <summary>The nf_tables ruleset generation the snapshot was read at.</summary>
    public uint? Generation { get; init; }
}

/// <summary>Why a command failed: <c>kind</c> is stable (kebab-case), <c>message</c> is the stderr line.</summary>
internal sealed class CliErrorReport
{
    /// <summary>
    /// <c>invalid-argument</c>, <c>permission-denied</c>, <c>nftables-unavailable</c>, <c>namespace-not-found</c>,
    /// <c>not-a-namespace</c>, <c>kernel-rejected</c>, <c>protocol-violation</c>, <c>outcome-unknown</c>,
    /// <c>transport</c> or <c>internal</c>.
    /// </summary>
    public required string Kind { get; init; }

    /// <summary>Positive errno, or null when the failure has none.</summary>
    public int? Errno { get; init; }

    public required string Message { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? ErrnoName { get; init; }

    /// <summary>invalid-argument: the option at fault, e.g. <c>--collector</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Argument { get; init; }

    /// <summary>The kernel's extended-ack text, when it sent one.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? KernelMessage { get; init; }

    /// <summary>The message type the kernel rejected, e.g. <c>NFT_MSG_NEWRULE</c>.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FailingMessageType { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FailingMessageIndex { get; init; }

    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? FailingAttribute { get; init; }
}
