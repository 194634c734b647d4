using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Process;

/// <summary>
/// A pidfd: a handle on one process that never comes to name another (pidfd_open(2)). A pid can be reused as soon as
/// its process is reaped; reading <c>/proc/PID/…</c> and then checking through the pidfd that the process is still
/// alive proves that what was read belonged to it.
/// </summary>
internal sealed class ProcessDescriptor : SafeHandle
{
    /// <summary>SOL_SOCKET option returning a pidfd of the peer of a Unix socket (asm-generic/socket.h, Linux 6.5).</summary>
    public const int SO_PEERPIDFD = 77;

    private ProcessDescriptor(int fileDescriptor)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fileDescriptor);

    /// <inheritdoc/>
    public override bool IsInvalid => handle == -1;

    /// <summary>
    /// A pidfd of the process at the other end of <paramref name="socket"/>: SO_PEERPIDFD where the kernel has it
    /// (Linux 6.5: the very process that connected, with no race at all), else pidfd_open of the pid SO_PEERCRED gave
    /// (<paramref name="peerProcessId"/>; the peer is blocked waiting for the answer, so its pid is still its own).
    /// Returns 0 or errno.
    /// </summary>
    public static unsafe int TryOpenPeer(SocketHandle socket, int peerProcessId, out ProcessDescriptor? descriptor)
    {
        ArgumentNullException.ThrowIfNull(socket);
        descriptor = null;
        int pidfd = -1;
        socklen_t length = sizeof(int);
        using (var lease = new DescriptorLease(socket))
        {
            if (LibC.getsockopt(lease.FileDescriptor, LibC.SOL_SOCKET, SO_PEERPIDFD, &pidfd, &length) == -1)
            {
                int error = Marshal.GetLastPInvokeError();
                if (error != Errno.ENOPROTOOPT)
                {
                    return error;
                }

                return TryOpen(peerProcessId, out descriptor); // a kernel before 6.5
            }
        }

        descriptor = new ProcessDescriptor(pidfd);
        return 0;
    }

    /// <summary>pidfd_open(<paramref name="processId"/>); returns 0 or errno (ESRCH: no such process).</summary>
    public static int TryOpen(int processId, out ProcessDescriptor? descriptor)
    {
        descriptor = null;
        if (processId <= 0)
        {
            return Errno.ESRCH;
        }

        long fd = Interop.Syscall(Interop.SYS_pidfd_open, processId, 0, 0, 0);
        if (fd < 0)
        {
            return Marshal.GetLastPInvokeError();
        }

        descriptor = new ProcessDescriptor((int)fd);
        return 0;
    }

    /// <summary>0 while the process has not exited; ESRCH once it has (pidfd_send_signal with signal 0).</summary>
    public int CheckAlive()
    {
        bool added = false;
        try
        {
            DangerousAddRef(ref added);
            long result = Interop.Syscall(Interop.SYS_pidfd_send_signal, (int)handle, 0, 0, 0);
            return result == 0 ? 0 : Marshal.GetLastPInvokeError();
        }
        finally
        {
            if (added)
            {
                DangerousRelease();
            }
        }
    }

    /// <inheritdoc/>
    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0;
}
