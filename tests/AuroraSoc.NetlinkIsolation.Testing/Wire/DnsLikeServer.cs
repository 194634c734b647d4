namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>UDP and TCP echo on port 53: see <see cref="NamespaceSockets.StartDnsLikeServer"/>.</summary>
public sealed class DnsLikeServer : IDisposable
{
    internal DnsLikeServer(NamespaceUdpEcho udp, NamespaceTcpListener tcp)
    {
        Udp = udp;
        Tcp = tcp;
    }

    public NamespaceUdpEcho Udp { get; }

    public NamespaceTcpListener Tcp { get; }

    public void Dispose()
    {
        Udp.Dispose();
        Tcp.Dispose();
    }
}
