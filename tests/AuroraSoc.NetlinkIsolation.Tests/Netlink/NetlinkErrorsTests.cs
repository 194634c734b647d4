using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.Tests.Netlink;

/// <summary>The one errno → kind table, row by row; the expected kinds come from the kernel's documented meanings.</summary>
public class NetlinkErrorsTests
{
    [Theory]
    [InlineData(Errno.EPERM, (int)NetlinkErrorSource.OpenSocketInNamespace, (int)NetlinkErrorKind.PermissionDenied)] // setns without CAP_SYS_ADMIN
    [InlineData(Errno.EACCES, (int)NetlinkErrorSource.OpenSocket, (int)NetlinkErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, (int)NetlinkErrorSource.Send, (int)NetlinkErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, (int)NetlinkErrorSource.Reply, (int)NetlinkErrorKind.PermissionDenied)] // nfnetlink_rcv without CAP_NET_ADMIN
    [InlineData(Errno.EPERM, (int)NetlinkErrorSource.TransactionReply, (int)NetlinkErrorKind.PermissionDenied)]
    [InlineData(Errno.EPERM, (int)NetlinkErrorSource.Receive, (int)NetlinkErrorKind.Transport)]
    [InlineData(Errno.EPROTONOSUPPORT, (int)NetlinkErrorSource.OpenSocket, (int)NetlinkErrorKind.ProtocolUnavailable)] // no NETLINK_NETFILTER
    [InlineData(Errno.EAFNOSUPPORT, (int)NetlinkErrorSource.OpenSocketInNamespace, (int)NetlinkErrorKind.ProtocolUnavailable)]
    [InlineData(Errno.EOPNOTSUPP, (int)NetlinkErrorSource.Reply, (int)NetlinkErrorKind.ProtocolUnavailable)] // subsystem not registered
    [InlineData(Errno.EOPNOTSUPP, (int)NetlinkErrorSource.TransactionReply, (int)NetlinkErrorKind.KernelRejected)]
    [InlineData(Errno.EOPNOTSUPP, (int)NetlinkErrorSource.OpenSocket, (int)NetlinkErrorKind.Transport)]
    [InlineData(Errno.ENOENT, (int)NetlinkErrorSource.OpenSocketInNamespace, (int)NetlinkErrorKind.NamespaceNotFound)]
    [InlineData(Errno.ESRCH, (int)NetlinkErrorSource.OpenSocketInNamespace, (int)NetlinkErrorKind.NamespaceNotFound)] // /proc/PID gone
    [InlineData(Errno.ENOTDIR, (int)NetlinkErrorSource.OpenSocketInNamespace, (int)NetlinkErrorKind.NamespaceNotFound)]
    [InlineData(Errno.ENOENT, (int)NetlinkErrorSource.OpenSocket, (int)NetlinkErrorKind.Transport)]
    [InlineData(Errno.EINVAL, (int)NetlinkErrorSource.OpenSocketInNamespace, (int)NetlinkErrorKind.NotANamespace)] // setns on another file
    [InlineData(Errno.EINVAL, (int)NetlinkErrorSource.OpenSocket, (int)NetlinkErrorKind.Transport)]
    [InlineData(Errno.EINVAL, (int)NetlinkErrorSource.Reply, (int)NetlinkErrorKind.KernelRejected)]
    [InlineData(Errno.ENOBUFS, (int)NetlinkErrorSource.Send, (int)NetlinkErrorKind.OutcomeUnknown)]
    [InlineData(Errno.ENOBUFS, (int)NetlinkErrorSource.Receive, (int)NetlinkErrorKind.OutcomeUnknown)] // replies dropped
    [InlineData(Errno.ENOMEM, (int)NetlinkErrorSource.Send, (int)NetlinkErrorKind.OutcomeUnknown)]
    [InlineData(Errno.ENOMEM, (int)NetlinkErrorSource.TransactionReply, (int)NetlinkErrorKind.KernelRejected)]
    [InlineData(Errno.EMSGSIZE, (int)NetlinkErrorSource.Receive, (int)NetlinkErrorKind.OutcomeUnknown)]
    [InlineData(Errno.EMSGSIZE, (int)NetlinkErrorSource.Send, (int)NetlinkErrorKind.Transport)]
    [InlineData(Errno.EBADF, (int)NetlinkErrorSource.Send, (int)NetlinkErrorKind.Transport)]
    [InlineData(Errno.ERESTART, (int)NetlinkErrorSource.Reply, (int)NetlinkErrorKind.KernelRejected)]
    public void KindOf_ErrnoFromSource_IsTheDocumentedKind(int errno, int source, int expected)
        => Assert.Equal((NetlinkErrorKind)expected, NetlinkErrors.KindOf(errno, (NetlinkErrorSource)source)); // ints: the enums are internal
}
