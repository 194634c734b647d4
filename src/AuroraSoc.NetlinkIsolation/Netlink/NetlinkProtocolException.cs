namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>
/// A reply that breaks the netlink framing rules: truncated headers, lengths past the end, misalignment, or
/// an attribute of the wrong size. The readers throw only this, whatever the input.
/// </summary>
internal sealed class NetlinkProtocolException : NetlinkException
{
    public NetlinkProtocolException(string message)
        : base(NetlinkErrorKind.ProtocolViolation, 0, "netlink protocol violation: " + message)
    {
    }

    public NetlinkProtocolException()
        : this("malformed reply")
    {
    }

    public NetlinkProtocolException(string message, Exception innerException)
        : base(NetlinkErrorKind.ProtocolViolation, 0, "netlink protocol violation: " + message, null, null, -1, null, innerException)
    {
    }
}
