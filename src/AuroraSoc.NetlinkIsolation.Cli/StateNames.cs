using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Cli;

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

    public static string For(NetlinkErrorKind kind) => kind switch
    {
        NetlinkErrorKind.KernelRejected => "kernel-rejected",
        NetlinkErrorKind.PermissionDenied => "permission-denied",
        NetlinkErrorKind.ProtocolUnavailable => "nftables-unavailable",
        NetlinkErrorKind.NamespaceNotFound => "namespace-not-found",
        NetlinkErrorKind.NotANamespace => "not-a-namespace",
        NetlinkErrorKind.ProtocolViolation => "protocol-violation",
        NetlinkErrorKind.OutcomeUnknown => "outcome-unknown",
        NetlinkErrorKind.Transport => "transport",
        _ => "internal",
    };

    public const string InvalidArgument = "invalid-argument";

    public const string Internal = "internal";
}
