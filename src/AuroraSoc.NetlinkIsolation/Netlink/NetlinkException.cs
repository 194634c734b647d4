namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// A kernel or transport failure: its kind, the errno, the kernel's own message (extended ack), which message of the
/// batch failed (type name and index) and the attribute the kernel pointed at. The message states the cause only;
/// what an operator should do about it is the product layer's to say.
/// </summary>
internal class NetlinkException : Exception
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

    /// <summary>NLMSGERR_ATTR_MSG text from the kernel's extended ack, when it sent one.</summary>
    public string? KernelMessage { get; }

    /// <summary>Type name of the message the kernel rejected, e.g. "NFT_MSG_NEWRULE".</summary>
    public string? FailingMessageType { get; }

    /// <summary>Index of the failing message in the batch (0 is the first), or -1.</summary>
    public int FailingMessageIndex { get; }

    /// <summary>Path of the attribute NLMSGERR_ATTR_OFFS pointed at, e.g. "NFTA_RULE_EXPRESSIONS/[2] cmp/NFTA_CMP_DATA".</summary>
    public string? FailingAttribute { get; }
}
