namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// The descriptor of a <see cref="SocketHandle"/>, referenced for the length of a <c>using</c> block so that a
/// concurrent Dispose cannot close it — and the kernel hand its number to another file — while a call uses it.
/// </summary>
internal ref struct DescriptorLease
{
    private readonly SocketHandle _handle;
    private bool _referenced;

    public DescriptorLease(SocketHandle handle)
    {
        _handle = handle;
        handle.DangerousAddRef(ref _referenced);
    }

    public readonly int FileDescriptor => _handle.FileDescriptor;

    public void Dispose()
    {
        if (_referenced)
        {
            _referenced = false;
            _handle.DangerousRelease();
        }
    }
}
