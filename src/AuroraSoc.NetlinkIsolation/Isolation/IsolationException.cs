using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// A <see cref="HostIsolator"/> call that failed. Says what kind of failure it was, the errno and the kernel's own
/// words where there are any, the fix where there is one (<see cref="Advice"/>), and — for isolate and unisolate —
/// the state the namespace was found in afterwards, which is the state it had before: a rejected batch changes nothing.
/// </summary>
public sealed class IsolationException : Exception
{
    /// <summary>A failure with no further detail (<see cref="IsolationErrorKind.Transport"/>).</summary>
    public IsolationException()
        : this("isolation failed")
    {
    }

    /// <summary>A failure described by <paramref name="message"/> (<see cref="IsolationErrorKind.Transport"/>).</summary>
    public IsolationException(string message)
        : this(message, null)
    {
    }

    /// <summary>A failure described by <paramref name="message"/> and caused by <paramref name="innerException"/> (<see cref="IsolationErrorKind.Transport"/>).</summary>
    public IsolationException(string message, Exception? innerException)
        : base(message, innerException)
    {
        Kind = IsolationErrorKind.Transport;
        FailingMessageIndex = -1;
    }

    private IsolationException(IsolationOperation operation, NetlinkException cause, IsolationState? stateAfter, string message)
        : base(message, cause)
    {
        Operation = operation;
        Kind = KindOf(cause.Kind);
        Errno = cause.Errno;
        KernelMessage = cause.KernelMessage;
        FailingMessageType = cause.FailingMessageType;
        FailingMessageIndex = cause.FailingMessageIndex;
        FailingAttribute = cause.FailingAttribute;
        StateAfter = stateAfter;
    }

    /// <summary>A failure reported by a guard that ran the operation (hand-over), with the fields it sent back.</summary>
    internal IsolationException(IsolationOperation operation, IsolationErrorKind kind, int errno, string? kernelMessage, string? failingMessageType, int failingMessageIndex, string? failingAttribute, IsolationState? stateAfter, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Operation = operation;
        Kind = kind;
        Errno = errno;
        KernelMessage = kernelMessage;
        FailingMessageType = failingMessageType;
        FailingMessageIndex = failingMessageIndex;
        FailingAttribute = failingAttribute;
        StateAfter = stateAfter;
    }

    /// <summary>No collector was reachable (here, or in a guard that ran the isolate and sent this back).</summary>
    internal IsolationException(IReadOnlyList<CollectorCheck> checks, bool rolledBack, IsolationState? stateAfter, string message, Exception? rollbackFailure)
        : base(message, rollbackFailure)
    {
        Operation = IsolationOperation.Isolate;
        Kind = IsolationErrorKind.CollectorUnreachable;
        FailingMessageIndex = -1;
        StateAfter = stateAfter;
        CollectorChecks = checks;
        RolledBack = rolledBack;
    }

    /// <summary>The call that failed.</summary>
    public IsolationOperation Operation { get; }

    /// <summary>What kind of failure it was; decides what a caller can do about it (see <see cref="Advice"/>).</summary>
    public IsolationErrorKind Kind { get; }

    /// <summary>Positive errno (e.g. 1 for EPERM), or 0 when the failure has none.</summary>
    public int Errno { get; }

    /// <summary>Symbolic errno, e.g. "EPERM"; "none" when there is no errno.</summary>
    public string ErrnoName => Errno == 0 ? "none" : Interop.Errno.Name(Errno);

    /// <summary>NLMSGERR_ATTR_MSG text from the kernel's extended ack, when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Type name of the message the kernel rejected, e.g. "NFT_MSG_NEWRULE".</summary>
    public string? FailingMessageType { get; }

    /// <summary>Index of the failing message in the batch (0 is NFNL_MSG_BATCH_BEGIN), or -1.</summary>
    public int FailingMessageIndex { get; }

    /// <summary>Path of the attribute the kernel pointed at, e.g. "NFTA_RULE_EXPRESSIONS/[2] cmp/NFTA_CMP_DATA".</summary>
    public string? FailingAttribute { get; }

    /// <summary>The state probed after the failure; null when it could not be probed (e.g. no permission).</summary>
    public IsolationState? StateAfter { get; }

    /// <summary>For <see cref="IsolationErrorKind.CollectorUnreachable"/>: every connection attempt, in the order of the collectors.</summary>
    public IReadOnlyList<CollectorCheck> CollectorChecks { get; } = [];

    /// <summary>
    /// For <see cref="IsolationErrorKind.CollectorUnreachable"/>: true when the previous state (the previous table
    /// exactly, or no table) was restored in one transaction; false when restoring failed and the new ruleset is
    /// still in force. Whoever records intents puts the previous one back only when this is true.
    /// </summary>
    public bool RolledBack { get; }

    /// <summary>What the operator can do about it, for the kinds that have a fix; null otherwise.</summary>
    public string? Advice => AdviceFor(Kind);

    /// <summary>The fix for a kind of failure, for operators; null for kinds without one.</summary>
    internal static string? AdviceFor(IsolationErrorKind kind) => kind switch
    {
        IsolationErrorKind.PermissionDenied => "permission denied: run as root or grant CAP_NET_ADMIN in the target network namespace",
        IsolationErrorKind.NfTablesUnavailable => "nf_tables is not available in this kernel: load the nf_tables module (modprobe nf_tables) or use a kernel built with CONFIG_NF_TABLES",
        IsolationErrorKind.NamespaceNotFound => "network namespace not found: check the path (/run/netns/NAME or /proc/PID/ns/net) and that the process is alive",
        IsolationErrorKind.NotANamespace => "the path is not a network namespace: pass /run/netns/NAME or /proc/PID/ns/net",
        _ => null,
    };

    /// <summary>
    /// The product's account of an engine failure: the advice for its kind with the engine's detail in parentheses,
    /// whether the rejected batch left everything as it was, and for a change, the state found afterwards.
    /// </summary>
    internal static IsolationException From(IsolationOperation operation, NetlinkException cause, IsolationState? stateAfter, string? stateText = null)
    {
        IsolationErrorKind kind = KindOf(cause.Kind);
        string? advice = AdviceFor(kind);
        string text = advice is null ? cause.Message : $"{advice} ({cause.Message})";
        if (operation == IsolationOperation.Isolate && cause.Errno == Interop.Errno.EOPNOTSUPP && cause.FailingMessageType == "NFT_MSG_NEWRULE")
        {
            // nft_socket_init answers EOPNOTSUPP for a key it does not know: before Linux 5.13, NFT_SOCKET_CGROUPV2.
            text += "; a rule uses a match this kernel lacks: --agent-cgroup needs socket cgroupv2 (nft_socket, Linux 5.13 or later)";
        }


        // nf_tables applies a batch whole or not at all: a message it refused aborted the transaction.
        bool changing = operation is IsolationOperation.Isolate or IsolationOperation.Unisolate;
        if (changing && cause.FailingMessageIndex >= 0 && cause.Kind is NetlinkErrorKind.KernelRejected or NetlinkErrorKind.PermissionDenied or NetlinkErrorKind.ProtocolUnavailable)
        {
            text += "; nothing was changed";
        }

        if (stateText is not null)
        {
            text = $"{NameOf(operation)} failed: {text}; {stateText}";
        }

        return new IsolationException(operation, cause, stateAfter, text);
    }

    /// <summary>
    /// No collector answered after the commit. Rolled back: "rolled back: no collector reachable: 192.0.2.10:6514
    /// connection refused; …". Not rolled back: the same list, why restoring failed, and the state found afterwards.
    /// </summary>
    internal static IsolationException CollectorsUnreachable(IReadOnlyList<CollectorCheck> checks, IsolationState? stateAfter, NetlinkException? rollbackFailure)
    {
        string unreachable = "no collector reachable: " + CollectorVerification.DescribeFailures(checks);
        if (rollbackFailure is null)
        {
            return new IsolationException(checks, rolledBack: true, stateAfter, "rolled back: " + unreachable, null);
        }

        string state = stateAfter switch
        {
            IsolationState.Isolated => "the namespace is isolated with the new ruleset",
            IsolationState.NotIsolated => "the namespace is not isolated",
            IsolationState.Degraded => "the namespace's isolation table is degraded",
            _ => "its state could not be probed",
        };
        return new IsolationException(checks, rolledBack: false, stateAfter, $"{unreachable}; rolling back failed: {rollbackFailure.Message}; {state}", rollbackFailure);
    }

    /// <summary>A host name that did not resolve (<see cref="IsolationErrorKind.HostNameUnresolved"/>); nothing was changed.</summary>
    internal static IsolationException HostNameUnresolved(string hostName, string reason, Exception? cause)
        => new(IsolationOperation.Isolate, IsolationErrorKind.HostNameUnresolved, 0, null, null, -1, null, null, $"host name '{hostName}' did not resolve: {reason}; nothing was changed", cause);

    /// <summary>An agent identity that names nothing here (<see cref="IsolationErrorKind.AgentIdentityUnresolved"/>); nothing was changed.</summary>
    internal static IsolationException AgentIdentityUnresolved(string option, string value, string reason, int errno = 0)
        => new(IsolationOperation.Isolate, IsolationErrorKind.AgentIdentityUnresolved, errno, null, null, -1, null, null, $"{option} '{value}': {reason}; nothing was changed", null);

    /// <summary>
    /// The namespace an intent names is not here (<see cref="IsolationErrorKind.NamespaceNotFound"/>): gone, or the host's
    /// while this runs in another namespace; nothing was changed.
    /// </summary>
    internal static IsolationException NamespaceGone(IsolationOperation operation, string reason)
        => new(operation, IsolationErrorKind.NamespaceNotFound, 0, null, null, -1, null, null, reason + "; nothing was changed", null);

    /// <summary>The caller may not change nf_tables (<see cref="IsolationErrorKind.PermissionDenied"/>); nothing was changed.</summary>
    internal static IsolationException PermissionDenied(IsolationOperation operation, string detail)
        => new(operation, IsolationErrorKind.PermissionDenied, Interop.Errno.EPERM, null, null, -1, null, null, $"{AdviceFor(IsolationErrorKind.PermissionDenied)} ({detail}); nothing was changed", null);

    /// <summary>The guard cannot serve its state directory (<see cref="IsolationErrorKind.GuardUnavailable"/>).</summary>
    internal static IsolationException GuardUnavailable(string message, Exception? cause = null)
        => new(IsolationOperation.Guard, IsolationErrorKind.GuardUnavailable, 0, null, null, -1, null, null, message, cause);

    /// <summary>"isolate", "unisolate", "status", "open" or "guard", as logs and messages spell the operation.</summary>
    internal static string NameOf(IsolationOperation operation) => operation switch
    {
        IsolationOperation.Open => "open",
        IsolationOperation.Isolate => "isolate",
        IsolationOperation.Unisolate => "unisolate",
        IsolationOperation.Guard => "guard",
        _ => "status",
    };

    private static IsolationErrorKind KindOf(NetlinkErrorKind kind) => kind switch
    {
        NetlinkErrorKind.KernelRejected => IsolationErrorKind.KernelRejected,
        NetlinkErrorKind.PermissionDenied => IsolationErrorKind.PermissionDenied,

        // The only netlink protocol this library speaks is NETLINK_NETFILTER, and its only subsystem nf_tables.
        NetlinkErrorKind.ProtocolUnavailable => IsolationErrorKind.NfTablesUnavailable,
        NetlinkErrorKind.NamespaceNotFound => IsolationErrorKind.NamespaceNotFound,
        NetlinkErrorKind.NotANamespace => IsolationErrorKind.NotANamespace,
        NetlinkErrorKind.ProtocolViolation => IsolationErrorKind.ProtocolViolation,
        NetlinkErrorKind.OutcomeUnknown => IsolationErrorKind.OutcomeUnknown,
        _ => IsolationErrorKind.Transport,
    };
}
