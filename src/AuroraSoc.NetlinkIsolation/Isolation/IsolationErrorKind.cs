namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>Why an isolation call failed, in terms an operator can act on.</summary>
public enum IsolationErrorKind
{
    /// <summary>The kernel refused a message (errno and, where given, its extended-ack text and attribute).</summary>
    KernelRejected,

    /// <summary>EPERM/EACCES: nf_tables needs CAP_NET_ADMIN in the target namespace, entering one CAP_SYS_ADMIN.</summary>
    PermissionDenied,

    /// <summary>This kernel has no nf_tables (or no nfnetlink).</summary>
    NfTablesUnavailable,

    /// <summary>The network-namespace path does not exist (or the process behind it is gone).</summary>
    NamespaceNotFound,

    /// <summary>The path exists but is not a network namespace.</summary>
    NotANamespace,

    /// <summary>The kernel's reply broke the netlink protocol (truncated, bad lengths).</summary>
    ProtocolViolation,

    /// <summary>The change may or may not have been applied (lost reply, timeout); the state was probed again.</summary>
    OutcomeUnknown,

    /// <summary>A socket call failed for another reason (errno says which).</summary>
    Transport,

    /// <summary>
    /// Collector verification found no collector reachable after the commit; <see cref="IsolationException.RolledBack"/>
    /// says whether the previous state was restored.
    /// </summary>
    CollectorUnreachable,

    /// <summary>
    /// The guard cannot serve the state directory: another guard already serves it, or its hand-over socket cannot be
    /// created there.
    /// </summary>
    GuardUnavailable,

    /// <summary>
    /// A collector or peer host name did not resolve (or resolved to no IPv4/IPv6 address). Raised before anything is
    /// committed, so nothing changed; a failure rather than invalid input, because the same name may resolve later.
    /// </summary>
    HostNameUnresolved,

    /// <summary>
    /// An agent identity (<c>--agent-cgroup</c>, <c>--agent-user</c>, <c>--agent-group</c>) names a cgroup, process,
    /// user or group that does not exist, or the host has no cgroup2 mounted where this process can see it. Raised
    /// before anything is committed, so nothing changed.
    /// </summary>
    AgentIdentityUnresolved,
}
