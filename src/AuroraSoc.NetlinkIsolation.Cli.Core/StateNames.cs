using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The stable spellings of states and error kinds in <c>--json</c> output (cli.md).</summary>
internal static class StateNames
{
    public static string For(IsolationState state) => state switch
    {
        IsolationState.Isolated => "isolated",
        IsolationState.NotIsolated => "not-isolated",
        IsolationState.Degraded => "degraded",
        _ => throw new ArgumentOutOfRangeException(nameof(state), state, null),
    };

    public static string? For(IsolationState? state) => state is { } known ? For(known) : null;

    public static string For(IsolationErrorKind kind) => kind switch
    {
        IsolationErrorKind.KernelRejected => "kernel-rejected",
        IsolationErrorKind.PermissionDenied => "permission-denied",
        IsolationErrorKind.NfTablesUnavailable => "nftables-unavailable",
        IsolationErrorKind.NamespaceNotFound => "namespace-not-found",
        IsolationErrorKind.NotANamespace => "not-a-namespace",
        IsolationErrorKind.ProtocolViolation => "protocol-violation",
        IsolationErrorKind.OutcomeUnknown => "outcome-unknown",
        IsolationErrorKind.Transport => "transport",
        IsolationErrorKind.CollectorUnreachable => "collector-unreachable",
        IsolationErrorKind.GuardUnavailable => "guard-unavailable",
        IsolationErrorKind.HostNameUnresolved => "host-name-unresolved",
        IsolationErrorKind.AgentIdentityUnresolved => "agent-identity-unresolved",
        _ => "internal",
    };

    public const string InvalidArgument = "invalid-argument";

    public const string Internal = "internal";

    /// <summary>The state directory (intents) could not be locked, read or written.</summary>
    public const string StateDirectory = "state-directory";

    /// <summary>restore: at least one recorded isolation could not be applied.</summary>
    public const string RestoreFailed = "restore-failed";

    public static string For(RestoreOutcome outcome) => outcome switch
    {
        RestoreOutcome.Restored => "restored",
        RestoreOutcome.SkippedNamespaceGone => "skipped-namespace-gone",
        RestoreOutcome.Failed => "failed",
        RestoreOutcome.Degraded => "degraded",
        _ => throw new ArgumentOutOfRangeException(nameof(outcome), outcome, null),
    };
}
