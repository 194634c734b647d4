using System.Net;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>
/// A <see cref="Topology"/> plus the services the containment matrix talks to, all started once per test class:
/// <code>
///   Lan  192.0.2.10 / 2001:db8::10   collector, any port    TCP 9000 + 9001, UDP echo 7000
///        192.0.2.11 / 2001:db8::11   collector, port 443    TCP 443 + 9000, UDP echo 7000   (added here)
///        192.0.2.20 / 2001:db8::20   other peer             TCP 9000, UDP echo 7000
///        192.0.2.53 / 2001:db8::53   listed resolver        DNS-like UDP+TCP 53
///        192.0.2.54 / 2001:db8::54   unlisted resolver      DNS-like UDP+TCP 53             (added here)
///        192.0.2.254                 gateway, DHCPv4 server (0.0.0.0:67 on l-host, answers from .254:67)
///        fe80::… on l-host           DHCPv6 server (ff02::1:2 port 547)
///        198.51.100.10 / 2001:db8:5100::10   allowed off-link peer (via the gateway)   TCP 9000
///        203.0.113.10 / 2001:db8:113::10     off-link "internet"                        TCP 9000
///   Host 192.0.2.1 / 2001:db8::1      TCP 9100 (echo), UDP echo 9101 — targets of inbound attempts
/// </code>
/// Every target has a listener, so a TCP reset can only come from the firewall, never from a closed port.
/// </summary>
public sealed class WireSite : IDisposable
{
    public const int ServicePort = 9000;
    public const int SecondPort = 9001;
    public const int CollectorServicePort = 443;
    public const int UdpPort = 7000;
    public const int HostTcpPort = 9100;
    public const int HostUdpPort = 9101;
    public const int DnsPort = 53;

    private readonly List<IDisposable> services = [];

    private WireSite(Topology topology)
    {
        Topology = topology;
    }

    public Topology Topology { get; }

    public ThrowawayNamespace Host => Topology.Host;

    public ThrowawayNamespace Lan => Topology.Lan;

    public ThrowawayNamespace Container => Topology.Container;

    /// <summary>A collector allowed on one TCP port only (<c>192.0.2.11:443</c>).</summary>
    public IPAddress PortCollectorIPv4 { get; } = IPAddress.Parse("192.0.2.11");

    public IPAddress PortCollectorIPv6 { get; } = IPAddress.Parse("2001:db8::11");

    /// <summary>A resolver that answers but is not on the policy's list.</summary>
    public IPAddress UnlistedDnsIPv4 { get; } = IPAddress.Parse("192.0.2.54");

    public IPAddress UnlistedDnsIPv6 { get; } = IPAddress.Parse("2001:db8::54");

    public IPAddress DhcpOfferIPv4 { get; } = IPAddress.Parse("192.0.2.100");

    public IPAddress DhcpOfferIPv6 { get; } = IPAddress.Parse("2001:db8::100");

    internal Dhcp4Server Dhcp4 { get; private set; } = null!;

    internal Dhcp6Server Dhcp6 { get; private set; } = null!;

    public static WireSite Create()
    {
        var topology = Topology.Create();
        var site = new WireSite(topology);
        try
        {
            site.Start();
            return site;
        }
        catch
        {
            site.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        foreach (var service in services)
        {
            service.Dispose();
        }

        Topology.Dispose();
    }

    private void Start()
    {
        var t = Topology;
        Lan.IpBatch(
            $"""
            addr add {PortCollectorIPv4}/24 dev {t.LanHostInterface}
            addr add {UnlistedDnsIPv4}/24 dev {t.LanHostInterface}
            addr add {PortCollectorIPv6}/64 dev {t.LanHostInterface} nodad
            addr add {UnlistedDnsIPv6}/64 dev {t.LanHostInterface} nodad

            """);

        foreach (var address in new[]
        {
            t.CollectorIPv4, t.CollectorIPv6, PortCollectorIPv4, PortCollectorIPv6, t.PeerIPv4, t.PeerIPv6,
            t.RemotePeerIPv4, t.RemotePeerIPv6, t.InternetIPv4, t.InternetIPv6,
        })
        {
            services.Add(NamespaceSockets.StartTcpListener(Lan, address, ServicePort));
        }

        services.Add(NamespaceSockets.StartTcpListener(Lan, t.CollectorIPv4, SecondPort));
        services.Add(NamespaceSockets.StartTcpListener(Lan, t.CollectorIPv6, SecondPort));
        services.Add(NamespaceSockets.StartTcpListener(Lan, PortCollectorIPv4, CollectorServicePort));
        services.Add(NamespaceSockets.StartTcpListener(Lan, PortCollectorIPv6, CollectorServicePort));
        foreach (var address in new[] { t.CollectorIPv4, t.CollectorIPv6, PortCollectorIPv4, PortCollectorIPv6, t.PeerIPv4, t.PeerIPv6 })
        {
            services.Add(NamespaceSockets.StartUdpEcho(Lan, address, UdpPort));
        }

        foreach (var address in new[] { t.DnsIPv4, t.DnsIPv6, UnlistedDnsIPv4, UnlistedDnsIPv6 })
        {
            services.Add(NamespaceSockets.StartDnsLikeServer(Lan, address));
        }

        foreach (var address in new[] { t.HostIPv4, t.HostIPv6 })
        {
            services.Add(NamespaceSockets.StartTcpListener(Host, address, HostTcpPort));
            services.Add(NamespaceSockets.StartUdpEcho(Host, address, HostUdpPort));
        }

        Dhcp4 = Dhcp4Server.Start(Lan, t.LanHostInterface, t.GatewayIPv4, DhcpOfferIPv4);
        services.Add(Dhcp4);
        Dhcp6 = Dhcp6Server.Start(Lan, t.LanHostInterface, DhcpOfferIPv6);
        services.Add(Dhcp6);
    }
}

/// <summary>Class fixture: one <see cref="WireSite"/> per test class, built on first use inside a test (so a
/// missing requirement skips or fails that test) and deleted when the class ends.</summary>
public sealed class WireSiteFixture : IDisposable
{
    private readonly Lazy<WireSite> site = new(WireSite.Create);

    public WireSite Site => site.Value;

    public void Dispose()
    {
        if (site.IsValueCreated)
        {
            site.Value.Dispose();
        }
    }
}
