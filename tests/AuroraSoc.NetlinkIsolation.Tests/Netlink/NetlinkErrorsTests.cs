using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Tests.Netlink;

/// <summary>The one errno → kind table, row by row; the expected kinds come from the kernel's documented meanings.</summary>
public class NetlinkErrorsTests
{
    [Theory]
    [InlineData(Errno.EPERM, NetlinkErrorSource.OpenSocketInNamespace, NetlinkErrorKind.PermissionDenied)] // setns without CAP_SYS_ADMIN
    [InlineData(Errno.EACCES, NetlinkErrorSource.OpenSocket, NetlinkErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, NetlinkErrorSource.Send, NetlinkErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, NetlinkErrorSource.Reply, NetlinkErrorKind.PermissionDenied)] // nfnetlink_rcv without CAP_NET_ADMIN
    [InlineData(Errno.EPERM, NetlinkErrorSource.TransactionReply, NetlinkErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, NetlinkErrorSource.Receive, NetlinkErrorKind.Transport)]
    [InlineData(Errno.EPROTONOSUPPORT, NetlinkErrorSource.OpenSocket, NetlinkErrorKind.ProtocolUnavailable)] // no NETLINK_NETFILTER
    [InlineData(Errno.EAFNOSUPPORT, NetlinkErrorSource.OpenSocketInNamespace, NetlinkErrorKind.ProtocolUnavailable)]
    [InlineData(Errno.EOPNOTSUPP, NetlinkErrorSource.Reply, NetlinkErrorKind.ProtocolUnavailable)] // subsystem not registered
    [InlineData(Errno.EOPNOTSUPP, NetlinkErrorSource.TransactionReply, NetlinkErrorKind.KernelRejected)]
    [InlineData(Errno.EOPNOTSUPP, NetlinkErrorSource.OpenSocket, NetlinkErrorKind.Transport)]
    [InlineData(Errno.ENOENT, NetlinkErrorSource.OpenSocketInNamespace, NetlinkErrorKind.NamespaceNotFound)]
    [InlineData(Errno.ESRCH, NetlinkErrorSource.OpenSocketInNamespace, NetlinkErrorKind.NamespaceNotFound)] // /proc/PID gone
    [InlineData(Errno.ENOTDIR, NetlinkErrorSource.OpenSocketInNamespace, NetlinkErrorKind.NamespaceNotFound)]
    [InlineData(Errno.ENOENT, NetlinkErrorSource.OpenSocket, NetlinkErrorKind.Transport)]
    [InlineData(Errno.EINVAL, NetlinkErrorSource.OpenSocketInNamespace, NetlinkErrorKind.NotANamespace)] // setns on another file
    [InlineData(Errno.EINVAL, NetlinkErrorSource.OpenSocket, NetlinkErrorKind.Transport)]
    [InlineData(Errno.EINVAL, NetlinkErrorSource.Reply, NetlinkErrorKind.KernelRejected)]
    [InlineData(Errno.ENOBUFS, NetlinkErrorSource.Send, NetlinkErrorKind.OutcomeUnknown)]
    [InlineData(Errno.ENOBUFS, NetlinkErrorSource.Receive, NetlinkErrorKind.OutcomeUnknown)] // replies dropped
    [InlineData(Errno.ENOMEM, NetlinkErrorSource.Send, NetlinkErrorKind.OutcomeUnknown)]
    [InlineData(Errno.ENOMEM, NetlinkErrorSource.TransactionReply, NetlinkErrorKind.KernelRejected)]
    [InlineData(Errno.EMSGSIZE, NetlinkErrorSource.Receive, NetlinkErrorKind.OutcomeUnknown)]
    [InlineData(Errno.EMSGSIZE, NetlinkErrorSource.Send, NetlinkErrorKind.Transport)]
    [InlineData(Errno.EBADF, NetlinkErrorSource.Send, NetlinkErrorKind.Transport)]
    [InlineData(Errno.ERESTART, NetlinkErrorSource.Reply, NetlinkErrorKind.KernelRejected)]
    public void KindOf_ErrnoFromSource_IsTheDocumentedKind(int errno, NetlinkErrorSource source, NetlinkErrorKind expected)
        => Assert.Equal(expected, NetlinkErrors.KindOf(errno, source));
}
