using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// A kernel or transport failure. Carries everything needed to act on it: the errno, the kernel's own message
/// (extended ack), which message of the batch failed (type name and index) and the attribute the kernel pointed at.
/// </summary>
public class NetlinkException : Exception
{
    public NetlinkException(NetlinkErrorKind kind, int errno, string message)
        : this(kind, errno, message, null, null, -1, null)
    {
    }

    public NetlinkException(
        NetlinkErrorKind kind,
        int errno,
        string message,
        string? kernelMessage,
        string? failingMessageType,
        int failingMessageIndex,
        string? failingAttribute,
        Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        Errno = errno;
        KernelMessage = kernelMessage;
        FailingMessageType = failingMessageType;
        FailingMessageIndex = failingMessageIndex;
        FailingAttribute = failingAttribute;
    }

    public NetlinkException()
        : this(NetlinkErrorKind.Transport, 0, "Netlink failure.")
    {
    }

    public NetlinkException(string message)
        : this(NetlinkErrorKind.Transport, 0, message)
    {
    }

    public NetlinkException(string message, Exception innerException)
        : this(NetlinkErrorKind.Transport, 0, message, null, null, -1, null, innerException)
    {
    }

    public NetlinkErrorKind Kind { get; }

    /// <summary>Positive errno (e.g. 1 for EPERM), or 0 when the failure has none.</summary>
    public int Errno { get; }

    /// <summary>Symbolic errno, e.g. "EPERM".</summary>
    public string ErrnoName => Errno == 0 ? "none" : Interop.Errno.Name(Errno);

    /// <summary>NLMSGERR_ATTR_MSG text from the kernel's extended ack, when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Type name of the message the kernel rejected, e.g. "NFT_MSG_NEWRULE".</summary>
    public string? FailingMessageType { get; }

    /// <summary>Index of the failing message in the batch (0 is NFNL_MSG_BATCH_BEGIN), or -1.</summary>
    public int FailingMessageIndex { get; }

    /// <summary>Path of the attribute NLMSGERR_ATTR_OFFS pointed at, e.g. "NFTA_RULE_EXPRESSIONS/[2] cmp/NFTA_CMP_DATA".</summary>
    public string? FailingAttribute { get; }

    /// <summary>One line for operators: cause, detail, and the fix where there is one.</summary>
    public static string Describe(NetlinkErrorKind kind, int errno) => kind switch
    {
        NetlinkErrorKind.PermissionDenied => "permission denied: run as root or grant CAP_NET_ADMIN in the target network namespace",
        NetlinkErrorKind.ProtocolUnavailable => "nf_tables is not available in this kernel: load the nf_tables module (modprobe nf_tables) or use a kernel built with CONFIG_NF_TABLES",
        NetlinkErrorKind.NamespaceNotFound => "network namespace not found: check the path (/run/netns/NAME or /proc/PID/ns/net) and that the process is alive",
        NetlinkErrorKind.NotANamespace => "the path is not a network namespace: pass /run/netns/NAME or /proc/PID/ns/net",
        NetlinkErrorKind.OutcomeUnknown => "the kernel's answer was lost; the state was probed again",
        NetlinkErrorKind.ProtocolViolation => "the kernel's reply broke the netlink protocol",
        _ => errno == 0 ? "netlink failure" : $"{Interop.Errno.Name(errno)}: {Interop.Errno.Describe(errno)}",
    };
}
