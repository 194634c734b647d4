using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Interop;

/// <summary>
/// Ordinary sockets (TCP, UDP) that belong to another network namespace: created on
/// <see cref="NetworkNamespaceThread"/>, after which they may be used from any thread — a socket keeps the namespace
/// it was created in for its whole life. Collector verification connects from inside the isolated namespace this way.
/// </summary>
internal static class NetworkNamespaceSocket
{
    /// <summary>
    /// Creates an unconnected socket in the network namespace at <paramref name="namespacePath"/>. Returns 0 or errno:
    /// open(2) errors for the path, EINVAL when it is not a network namespace, EPERM without CAP_SYS_ADMIN.
    /// </summary>
    /// <exception cref="SocketException">socket(2) itself failed inside the namespace.</exception>
    public static int TryCreate(string namespacePath, AddressFamily family, SocketType type, ProtocolType protocol, out Socket? socket)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        return NetworkNamespaceThread.TryRun(namespacePath, () => new Socket(family, type, protocol), out socket);
    }
}
