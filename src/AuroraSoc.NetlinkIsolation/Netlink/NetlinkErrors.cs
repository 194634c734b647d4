using AuroraSoc.NetlinkIsolation.Interop;

namespace AuroraSoc.NetlinkIsolation.Netlink;

/// <summary>The one table that turns an errno into a <see cref="NetlinkErrorKind"/>.</summary>
internal static class NetlinkErrors
{
    /// <summary>What <paramref name="errno"/> (positive) means when <paramref name="source"/> reported it.</summary>
    public static NetlinkErrorKind KindOf(int errno, NetlinkErrorSource source) => (errno, source) switch
    {
        // Every nfnetlink message needs CAP_NET_ADMIN in the socket's namespace (nfnetlink.c: nfnetlink_rcv), and
        // setns(2) needs CAP_SYS_ADMIN.
        (Errno.EPERM or Errno.EACCES, not NetlinkErrorSource.Receive) => NetlinkErrorKind.PermissionDenied,

        // socket(2) without the netlink protocol (EPROTONOSUPPORT, or EAFNOSUPPORT without AF_NETLINK); a request for
        // a subsystem nobody registered, which nfnetlink answers with EOPNOTSUPP (nfnetlink.c: nfnetlink_rcv_msg,
        // nfnetlink_rcv_batch, the latter bound to the transaction's first message).
        (Errno.EPROTONOSUPPORT or Errno.EAFNOSUPPORT, NetlinkErrorSource.OpenSocket or NetlinkErrorSource.OpenSocketInNamespace or NetlinkErrorSource.Reply)
            => NetlinkErrorKind.ProtocolUnavailable,
        (Errno.EOPNOTSUPP, NetlinkErrorSource.Reply) => NetlinkErrorKind.ProtocolUnavailable,

        // open(2) of the namespace path; setns(2) gives EINVAL for a file that is not a network namespace.
        (Errno.ENOENT or Errno.ESRCH or Errno.ENOTDIR, NetlinkErrorSource.OpenSocketInNamespace) => NetlinkErrorKind.NamespaceNotFound,
        (Errno.EINVAL, NetlinkErrorSource.OpenSocketInNamespace) => NetlinkErrorKind.NotANamespace,

        // The kernel may have processed what was sent and dropped its answer (ENOBUFS on a full receive queue,
        // ENOMEM while copying), or the answer did not fit the receive buffer (EMSGSIZE with MSG_TRUNC off).
        (Errno.ENOBUFS, NetlinkErrorSource.Send or NetlinkErrorSource.Receive) => NetlinkErrorKind.OutcomeUnknown,
        (Errno.ENOMEM, NetlinkErrorSource.Send) => NetlinkErrorKind.OutcomeUnknown,
        (Errno.EMSGSIZE, NetlinkErrorSource.Receive) => NetlinkErrorKind.OutcomeUnknown,

        (_, NetlinkErrorSource.Reply or NetlinkErrorSource.TransactionReply) => NetlinkErrorKind.KernelRejected,
        _ => NetlinkErrorKind.Transport,
    };
}
