namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>What went wrong talking to the kernel, in terms an operator can act on.</summary>
internal enum NetlinkErrorKind
{
    /// <summary>The kernel refused a message (errno and, where given, its extended-ack text and attribute).</summary>
    KernelRejected,

    /// <summary>EPERM/EACCES: the caller lacks the capability the kernel checks (CAP_NET_ADMIN, CAP_SYS_ADMIN).</summary>
    PermissionDenied,

    /// <summary>The kernel lacks the netlink protocol, or the subsystem behind it, that the request is for.</summary>
    ProtocolUnavailable,

    /// <summary>The network-namespace path does not exist (or the process behind it is gone).</summary>
    NamespaceNotFound,

    /// <summary>The path exists but is not a network namespace.</summary>
    NotANamespace,

    /// <summary>The kernel's reply broke the netlink protocol (truncated, bad lengths, wrong sequence).</summary>
    ProtocolViolation,

    /// <summary>The request may or may not have been committed (ENOBUFS, timeout): probe the state again.</summary>
    OutcomeUnknown,

    /// <summary>A socket call failed for another reason (errno says which).</summary>
    Transport,
}
