using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.Interop.Sockets;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>
/// Socket monitoring (sock_diag(7)) over a <see cref="NetlinkConnection"/>: lists a namespace's established TCP
/// sockets and closes chosen ones with SOCK_DESTROY, which aborts them as tcp_abort does — the owner's next call
/// fails with ECONNABORTED and the peer gets a reset (net/ipv4/tcp.c, tcp_abort). Not thread-safe.
/// </summary>
internal sealed partial class SockDiagConnection : IDisposable
{
    private readonly NetlinkConnection _netlink;
    private readonly NetlinkBuffer _destroyBuffer = new(4096);
    private List<DestroyFailure>? _failures;
    private uint _firstDestroySequence;
    private int _destroyCount;

    private SockDiagConnection(NetlinkConnection netlink) => _netlink = netlink;

    /// <summary>Opens a NETLINK_SOCK_DIAG socket in this thread's namespace, or in the one at <paramref name="namespacePath"/>.</summary>
    /// <exception cref="NetlinkException">The socket could not be opened (ProtocolUnavailable: no sock_diag in this kernel).</exception>
    public static SockDiagConnection Open(string? namespacePath = null, NetlinkConnectionOptions? options = null)
    {
        options ??= NetlinkConnectionOptions.Default;
        NetlinkSocket? socket;
        int errno = namespacePath is null
            ? NetlinkSocket.TryOpen(SockDiagConstants.NETLINK_SOCK_DIAG, options.SocketBufferBytes, out socket)
            : NetlinkSocket.TryOpenInNamespace(namespacePath, SockDiagConstants.NETLINK_SOCK_DIAG, options.SocketBufferBytes, out socket);
        if (errno != 0 || socket is null)
        {
            NetlinkErrorSource source = namespacePath is null ? NetlinkErrorSource.OpenSocket : NetlinkErrorSource.OpenSocketInNamespace;
            string where = namespacePath is null ? string.Empty : $" in namespace {namespacePath}";
            throw new NetlinkException(NetlinkErrors.KindOf(errno, source), errno, $"opening the sock_diag netlink socket{where} failed: {Errno.Name(errno)} ({Errno.Describe(errno)})");
        }

        return new SockDiagConnection(new NetlinkConnection(socket, options, Name));
    }

    /// <summary>Wraps a socket (tests script one).</summary>
    internal static SockDiagConnection Create(INetlinkSocket socket, NetlinkConnectionOptions? options = null)
        => new(new NetlinkConnection(socket, options, Name));

    /// <summary>
    /// Every established TCP socket of <paramref name="family"/> (AF_INET or AF_INET6) in the namespace, as one
    /// consistent dump. An AF_INET6 dump includes dual-stack sockets talking IPv4 (IPv4-mapped addresses).
    /// </summary>
    /// <exception cref="NetlinkException">The kernel refused the dump (ENOENT: no inet_diag for this family).</exception>
    public List<InetDiagSocket> DumpEstablishedTcp(byte family)
        => Dump(family, SockDiagConstants.IPPROTO_TCP, 1u << SockDiagConstants.TCP_ESTABLISHED);

    /// <summary>
    /// Sends one SOCK_DESTROY per socket, all in one datagram, each naming the socket exactly as the dump reported it
    /// (its cookie included, so a newer socket that reused the addresses is never hit). Returns the ones the kernel
    /// refused with its errno: ENOENT when the socket closed meanwhile, EOPNOTSUPP without CONFIG_INET_DIAG_DESTROY.
    /// </summary>
    public IReadOnlyList<DestroyFailure> Destroy(IReadOnlyList<InetDiagSocket> sockets)
    {
        ArgumentNullException.ThrowIfNull(sockets);
        if (sockets.Count == 0)
        {
            return [];
        }

        _destroyBuffer.Clear();
        _firstDestroySequence = _netlink.ReserveSequences(sockets.Count);
        var writer = new NetlinkWriter(_destroyBuffer);
        for (int i = 0; i < sockets.Count; i++)
        {
            InetDiagMessage reported = sockets[i].Message;
            var request = new InetDiagRequestV2
            {
                Family = reported.Family,
                Protocol = SockDiagConstants.IPPROTO_TCP,
                States = uint.MaxValue,
                Id = reported.Id,
            };
            MessageToken token = writer.BeginMessage(SockDiagConstants.SOCK_DESTROY, NetlinkMessageFlags.Request, unchecked(_firstDestroySequence + (uint)i));
            writer.WriteRaw(MemoryMarshal.AsBytes(new ReadOnlySpan<InetDiagRequestV2>(in request)));
            writer.EndMessage(token);
        }

        _failures = [];
        _destroyCount = sockets.Count;
        try
        {
            _netlink.Transact(_destroyBuffer.WrittenSpan, (this, sockets), static (state, in reply) => state.Item1.OnDestroyError(state.Item2, reply));
            return _failures;
        }
        finally
        {
            _failures = null;
        }
    }

    private void OnDestroyError(IReadOnlyList<InetDiagSocket> sockets, in NetlinkErrorReply reply)
    {
        uint index = unchecked(reply.Echoed.Sequence - _firstDestroySequence);
        if (index < (uint)_destroyCount)
        {
            _failures!.Add(new DestroyFailure(sockets[(int)index], -reply.Error));
        }
    }

    /// <summary>Names sock_diag message types in errors.</summary>
    internal static string Name(ushort type) => type switch
    {
        SockDiagConstants.SOCK_DIAG_BY_FAMILY => "SOCK_DIAG_BY_FAMILY",
        SockDiagConstants.SOCK_DESTROY => "SOCK_DESTROY",
        _ => NetlinkMessageNames.Name(type),
    };

    public void Dispose()
    {
        _netlink.Dispose();
        _destroyBuffer.Dispose();
    }
}
