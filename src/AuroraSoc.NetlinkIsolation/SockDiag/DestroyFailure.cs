namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>A socket SOCK_DESTROY did not close, and the kernel's errno (ENOENT: it closed meanwhile; EOPNOTSUPP: no CONFIG_INET_DIAG_DESTROY).</summary>
internal readonly record struct DestroyFailure(InetDiagSocket Socket, int Errno);
