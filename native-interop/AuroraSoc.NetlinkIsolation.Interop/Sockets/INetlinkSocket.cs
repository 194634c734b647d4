namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// A datagram socket talking to the kernel's nfnetlink: the seam the request engine runs on. Every method reports
/// failure as an errno value instead of throwing, so the engine can decide what each one means.
/// </summary>
internal interface INetlinkSocket : IDisposable
{
    /// <summary>Port id the kernel assigned at bind (getsockname).</summary>
    uint PortId { get; }

    /// <summary>
    /// Sends one datagram to the kernel (nl_pid 0). Returns bytes sent (may be short), or -errno
    /// (e.g. -EINTR, -EAGAIN, -ENOBUFS, -EPERM).
    /// </summary>
    int Send(ReadOnlySpan<byte> datagram);

    /// <summary>
    /// Waits at most <paramref name="timeoutMilliseconds"/> (0 = just poll, never block) for one datagram and copies
    /// it into <paramref name="buffer"/>. Returns its length (&gt; 0), or -errno: -EAGAIN when nothing arrived in time,
    /// -EMSGSIZE when the datagram was larger than <paramref name="buffer"/> (MSG_TRUNC; it is consumed), -ENOBUFS
    /// when the kernel dropped replies, -EINTR. Datagrams whose sender is not the kernel (source nl_pid != 0) are
    /// discarded and waiting continues.
    /// </summary>
    int Receive(Span<byte> buffer, int timeoutMilliseconds);

    /// <summary>
    /// Grows SO_SNDBUF/SO_RCVBUF to at least <paramref name="bytes"/> (SO_SNDBUFFORCE/SO_RCVBUFFORCE when permitted,
    /// falling back to the unforced options). Returns 0 or errno.
    /// </summary>
    int EnsureBufferSize(int bytes);
}
