namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>Generic netlink constants from &lt;linux/netlink.h&gt; and &lt;linux/socket.h&gt;.</summary>
internal static class NetlinkConstants
{
    public const int AF_NETLINK = 16;
    public const int SOCK_RAW = 3;
    public const int SOCK_CLOEXEC = 0x80000;
    public const int NETLINK_NETFILTER = 12;
    public const int SOL_NETLINK = 270;

    // setsockopt(SOL_NETLINK, ...) options, <linux/netlink.h>.
    public const int NETLINK_ADD_MEMBERSHIP = 1;
    public const int NETLINK_CAP_ACK = 10;
    public const int NETLINK_EXT_ACK = 11;

    public const int NLMSG_ALIGNTO = 4;
    public const int NLMSG_HDRLEN = 16;
    public const int NLA_HDRLEN = 4;
}

/// <summary>nlmsghdr.nlmsg_type values reserved by netlink itself (&lt;linux/netlink.h&gt;).</summary>
internal enum NetlinkMessageType : ushort
{
    Noop = 0x1,
    Error = 0x2,
    Done = 0x3,
    Overrun = 0x4,
}

/// <summary>nlmsghdr.nlmsg_flags (&lt;linux/netlink.h&gt;).</summary>
[Flags]
internal enum NetlinkMessageFlags : ushort
{
    None = 0,
    Request = 0x01,
    Multi = 0x02,
    Ack = 0x04,
    Echo = 0x08,
    DumpInterrupted = 0x10,
    DumpFiltered = 0x20,

    // Modifiers to GET requests.
    Root = 0x100,
    Match = 0x200,
    Atomic = 0x400,
    Dump = Root | Match,

    // Modifiers to NEW requests.
    Replace = 0x100,
    Excl = 0x200,
    Create = 0x400,
    Append = 0x800,

    // Flags on NLMSG_ERROR acknowledgements.
    Capped = 0x100,
    AckTlvs = 0x200,
}

/// <summary>Top-level attributes of an extended acknowledgement (enum nlmsgerr_attrs, &lt;linux/netlink.h&gt;).</summary>
internal enum NetlinkErrorAttribute : ushort
{
    Unused = 0,
    Message = 1,
    Offset = 2,
    Cookie = 3,
    Policy = 4,
    MissingType = 5,
    MissingNest = 6,
}

/// <summary>Bits of nlattr.nla_type (&lt;linux/netlink.h&gt;).</summary>
internal static class NetlinkAttributeFlags
{
    public const ushort Nested = 1 << 15;
    public const ushort NetworkByteOrder = 1 << 14;
    public const ushort TypeMask = unchecked((ushort)~(Nested | NetworkByteOrder));
}
