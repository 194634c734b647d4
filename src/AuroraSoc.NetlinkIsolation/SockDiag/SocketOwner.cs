namespace AuroraSoc.NetlinkIsolation.SockDiag;

/// <summary>A process holding a socket, and its executable (null when /proc did not say).</summary>
internal sealed record SocketOwner(int Pid, string? Executable);
