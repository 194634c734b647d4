using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Namespaces;

namespace AuroraSoc.NetlinkIsolation.Interop.Sockets;

/// <summary>
/// TCP sockets that belong to another network namespace: created on <see cref="NetworkNamespaceThread"/>, after
/// which they may be used from any thread — a socket keeps the namespace it was created in for its whole life.
/// Collector verification connects from inside the isolated namespace this way.
/// </summary>
internal static class NetworkNamespaceSocket
{
    /// <summary>
    /// Creates an unconnected, non-blocking TCP socket (<see cref="TcpConnector.TryCreateSocket"/>) in the network
    /// namespace at <paramref name="namespacePath"/>. Returns 0 or errno: open(2) errors for the path, EINVAL when it
    /// is not a network namespace, EPERM without CAP_SYS_ADMIN, or socket(2)'s own error inside the namespace.
    /// </summary>
    public static int TryCreateTcp(string namespacePath, AddressFamily family, out SocketHandle? socket)
    {
        ArgumentNullException.ThrowIfNull(namespacePath);
        socket = null;
        int entered = NetworkNamespaceThread.TryRun(namespacePath, () => (Error: TcpConnector.TryCreateSocket(family, out SocketHandle? created), Socket: created), out (int Error, SocketHandle? Socket) result);
        if (entered != 0)
        {
            return entered;
        }

        socket = result.Socket;
        return result.Error;
    }
}
