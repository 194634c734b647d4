namespace AuroraSoc.NetlinkIsolation.Interop.Constants;

/// <summary>Namespace constants from &lt;sched.h&gt; (clone(2) flags) and &lt;linux/nsfs.h&gt;.</summary>
internal static class NamespaceConstants
{
    /// <summary>setns(2) nstype for a network namespace.</summary>
    public const int CLONE_NEWNET = 0x40000000;

    /// <summary>ioctl on an nsfs file returning its CLONE_NEW* type: _IO(0xb7, 0x3), Linux 4.11 (ioctl_ns(2)).</summary>
    public const int NS_GET_NSTYPE = 0xb703;
}
