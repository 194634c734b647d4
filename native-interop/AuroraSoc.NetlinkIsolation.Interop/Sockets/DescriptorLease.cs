using System.Runtime.InteropServices;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// The descriptor of a <see cref="SocketHandle"/> (or of another handle owning a file descriptor, such as a pipe's
/// end), referenced for the length of a <c>using</c> block so that a concurrent Dispose cannot close it — and the
/// kernel hand its number to another file — while a call uses it.
/// </summary>
internal ref struct DescriptorLease
{
    private readonly SafeHandle _handle;
    private bool _referenced;

    public DescriptorLease(SafeHandle handle)
    {
        _handle = handle;
        handle.DangerousAddRef(ref _referenced);
    }

    public readonly int FileDescriptor => (int)_handle.DangerousGetHandle();

    public void Dispose()
    {
        if (_referenced)
        {
            _referenced = false;
            _handle.DangerousRelease();
        }
    }
}
