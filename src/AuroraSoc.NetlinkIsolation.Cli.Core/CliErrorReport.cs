using System.Text.Json;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>Why a command failed: <c>kind</c> is stable (kebab-case), <c>message</c> is the stderr line.</summary>
internal sealed class CliErrorReport
{
    /// <summary>
    /// <c>invalid-argument</c>, <c>permission-denied</c>, <c>nftables-unavailable</c>, <c>namespace-not-found</c>,
    /// <c>not-a-namespace</c>, <c>kernel-rejected</c>, <c>protocol-violation</c>, <c>outcome-unknown</c>,
    /// <c>transport</c>, <c>collector-unreachable</c>, <c>host-name-unresolved</c>, <c>guard-unavailable</c>,
    /// <c>state-directory</c>, <c>restore-failed</c> or <c>internal</c>.
    /// </summary>
    public required string Kind { get; init; }

    /// <summary>Positive errno, or null when the failure has none.</summary>
    public int? Errno { get; init; }

    public required string Message { get; init; }

    public string? ErrnoName { get; init; }

    /// <summary>invalid-argument: the option at fault, e.g. <c>--collector</c>.</summary>
    public string? Argument { get; init; }

    /// <summary>The kernel's extended-ack text, when it sent one.</summary>
    public string? KernelMessage { get; init; }

    /// <summary>The message type the kernel rejected, e.g. <c>NFT_MSG_NEWRULE</c>.</summary>
    public string? FailingMessageType { get; init; }

    public int? FailingMessageIndex { get; init; }

    public string? FailingAttribute { get; init; }

    /// <summary><c>kind</c>, <c>errno</c> (null without one) and <c>message</c> always; the details only when known.</summary>
    public void WriteTo(Utf8JsonWriter json)
    {
        ArgumentNullException.ThrowIfNull(json);
        json.WriteStartObject();
        json.WriteString("kind", Kind);
        json.WriteNumberOrNull("errno", Errno);
        json.WriteString("message", Message);
        json.WriteStringIfKnown("errnoName", ErrnoName);
        json.WriteStringIfKnown("argument", Argument);
        json.WriteStringIfKnown("kernelMessage", KernelMessage);
        json.WriteStringIfKnown("failingMessageType", FailingMessageType);
        json.WriteNumberIfKnown("failingMessageIndex", FailingMessageIndex);
        json.WriteStringIfKnown("failingAttribute", FailingAttribute);
        json.WriteEndObject();
    }
}
