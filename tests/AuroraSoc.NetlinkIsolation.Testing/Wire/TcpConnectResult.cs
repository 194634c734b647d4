using System.Net;
using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>The result of <see cref="NamespaceSockets.TcpConnect"/>.</summary>
public sealed record TcpConnectResult(TcpConnectOutcome Outcome, TimeSpan Elapsed, SocketError SocketError = SocketError.Success)
{
    /// <summary>The local end of the connection, when connected.</summary>
    public IPEndPoint? LocalEndPoint { get; init; }
}
