using System.Runtime.InteropServices;
using Tmds.Linux;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>Owns a socket's file descriptor (netlink, Unix or TCP); closing it is the only release.</summary>
internal sealed class SocketHandle : SafeHandle
{
    internal SocketHandle(int fileDescriptor)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(fileDescriptor);

    public override bool IsInvalid => handle == -1;

    /// <summary>The descriptor number, for calls made between DangerousAddRef and DangerousRelease.</summary>
    internal int FileDescriptor => (int)handle;

    // close(2): on Linux the descriptor is released even when close reports EINTR, so never retry it.
    protected override bool ReleaseHandle() => LibC.close((int)handle) == 0 || Marshal.GetLastPInvokeError() == Errno.EINTR;
}
