using System.Net.Sockets;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>The result of a UDP request/response or of <see cref="NamespaceTcpConnection.Exchange"/>.</summary>
public sealed record ExchangeResult(ExchangeOutcome Outcome, byte[] Reply, TimeSpan Elapsed, SocketError SocketError = SocketError.Success)
{
    public bool Replied => Outcome == ExchangeOutcome.Replied;
}
