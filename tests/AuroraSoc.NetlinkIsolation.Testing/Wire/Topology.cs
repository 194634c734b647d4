using System.Diagnostics;
using System.Net;
using AuroraSoc.NetlinkIsolation.Testing.Namespaces;

namespace AuroraSoc.NetlinkIsolation.Testing.Wire;

/// <summary>
/// Three throwaway namespaces wired like a small site, for tests that check what isolation does on the wire:
/// <code>
///   Container ──(c-host | h-ctr)── Host ──(h-lan | l-host)── Lan
///   10.99.0.2        10.99.0.1      192.0.2.1     collector .10, peer .20, DNS .53, gateway .254
///   fd00:99::2       fd00:99::1     2001:db8::1   collector ::10, peer ::20, DNS ::53, gateway ::fe
///                                                 off-link (on Lan's lo, reached via the gateway):
///                                                 remote peer 198.51.100.10 / 2001:db8:5100::10,
///                                                 internet    203.0.113.10  / 2001:db8:113::10
/// </code>
/// <see cref="Host"/> is the namespace to isolate. It forwards between Container and Lan (no NAT, so Lan sees
/// container addresses) and has default routes via the gateway. Lan routes the container subnets back via Host.
/// IPv6 addresses are added with <c>nodad</c> and DAD is off in all three namespaces, so everything is usable at
/// once. Interface names are per namespace, so topologies built in parallel do not collide.
/// </summary>
public sealed class Topology : IDisposable
{
    private Topology(ThrowawayNamespace host, ThrowawayNamespace lan, ThrowawayNamespace container)
    {
        Host = host;
        Lan = lan;
        Container = container;
    }

    /// <summary>The namespace to isolate.</summary>
    public ThrowawayNamespace Host { get; }

    /// <summary>The site network: collector, other peer, DNS resolver, gateway and off-link addresses.</summary>
    public ThrowawayNamespace Lan { get; }

    /// <summary>A container routed through <see cref="Host"/>.</summary>
    public ThrowawayNamespace Container { get; }

    /// <summary>How long <see cref="Create"/> took.</summary>
    public TimeSpan CreationTime { get; private set; }

    public string HostLanInterface { get; } = "h-lan";

    public string LanHostInterface { get; } = "l-host";

    public string HostContainerInterface { get; } = "h-ctr";

    public string ContainerHostInterface { get; } = "c-host";

    public IPAddress HostIPv4 { get; } = IPAddress.Parse("192.0.2.1");

    public IPAddress HostIPv6 { get; } = IPAddress.Parse("2001:db8::1");

    public IPAddress CollectorIPv4 { get; } = IPAddress.Parse("192.0.2.10");

    public IPAddress CollectorIPv6 { get; } = IPAddress.Parse("2001:db8::10");

    /// <summary>Another machine on the LAN that is not a collector.</summary>
    public IPAddress PeerIPv4 { get; } = IPAddress.Parse("192.0.2.20");

    public IPAddress PeerIPv6 { get; } = IPAddress.Parse("2001:db8::20");

    public IPAddress DnsIPv4 { get; } = IPAddress.Parse("192.0.2.53");

    public IPAddress DnsIPv6 { get; } = IPAddress.Parse("2001:db8::53");

    /// <summary>The next hop of Host's default routes (an address of Lan).</summary>
    public IPAddress GatewayIPv4 { get; } = IPAddress.Parse("192.0.2.254");

    public IPAddress GatewayIPv6 { get; } = IPAddress.Parse("2001:db8::fe");

    /// <summary>Off-link address (another subnet, e.g. a patch server), reached via the gateway; lives in Lan.</summary>
    public IPAddress RemotePeerIPv4 { get; } = IPAddress.Parse("198.51.100.10");

    public IPAddress RemotePeerIPv6 { get; } = IPAddress.Parse("2001:db8:5100::10");

    /// <summary>Off-link "anywhere else" address, reached via the gateway; lives in Lan.</summary>
    public IPAddress InternetIPv4 { get; } = IPAddress.Parse("203.0.113.10");

    public IPAddress InternetIPv6 { get; } = IPAddress.Parse("2001:db8:113::10");

    /// <summary>Host's address towards the container (the container's gateway).</summary>
    public IPAddress HostContainerSideIPv4 { get; } = IPAddress.Parse("10.99.0.1");

    public IPAddress HostContainerSideIPv6 { get; } = IPAddress.Parse("fd00:99::1");

    public IPAddress ContainerIPv4 { get; } = IPAddress.Parse("10.99.0.2");

    public IPAddress ContainerIPv6 { get; } = IPAddress.Parse("fd00:99::2");

    /// <summary>Builds the three namespaces (named with <paramref name="namePrefix"/>) and their links. Deletes
    /// whatever it built if a step fails.</summary>
    public static Topology Create(string namePrefix = ThrowawayNamespace.TestPrefix)
    {
        var stopwatch = Stopwatch.StartNew();
        var created = new List<ThrowawayNamespace>(3);
        try
        {
            var host = ThrowawayNamespace.Create("topology host (to be isolated)", namePrefix);
            created.Add(host);
            var lan = ThrowawayNamespace.Create("topology LAN", namePrefix);
            created.Add(lan);
            var container = ThrowawayNamespace.Create("topology container", namePrefix);
            created.Add(container);

            var topology = new Topology(host, lan, container);
            topology.Build();
            topology.CreationTime = stopwatch.Elapsed;
            return topology;
        }
        catch
        {
            foreach (var ns in created)
            {
                ns.Dispose();
            }

            throw;
        }
    }

    /// <summary>Flushes the neighbour (ARP/NDP) caches of all three namespaces.</summary>
    public void FlushNeighbours()
    {
        foreach (var ns in new[] { Host, Lan, Container })
        {
            ns.Ip("neigh", "flush", "all");
        }
    }

    /// <summary>Deletes all three namespaces (and with them the veth pairs). Never throws.</summary>
    public void Dispose()
    {
        Container.Dispose();
        Lan.Dispose();
        Host.Dispose();
    }

    private static string Sysctl(string key, int value) => $"{key}={value}";

    private void Build()
    {
        // DAD off before any interface exists, so link-local addresses are not left tentative either.
        var noDad = new[] { Sysctl("net.ipv6.conf.all.accept_dad", 0), Sysctl("net.ipv6.conf.default.accept_dad", 0) };
        foreach (var ns in new[] { Lan, Container })
        {
            ns.Sysctl(noDad);
        }

        Host.Sysctl([.. noDad, Sysctl("net.ipv4.ip_forward", 1), Sysctl("net.ipv6.conf.all.forwarding", 1)]);

        // Both veth pairs are created from inside Host with the peer end placed straight into its namespace:
        // no interface ever exists in the machine's own namespace, not even for a moment.
        Host.IpBatch(
            $"""
            link add {HostLanInterface} type veth peer name {LanHostInterface} netns {Lan.Name}
            link add {HostContainerInterface} type veth peer name {ContainerHostInterface} netns {Container.Name}
            addr add {HostIPv4}/24 dev {HostLanInterface}
            addr add {HostIPv6}/64 dev {HostLanInterface} nodad
            addr add {HostContainerSideIPv4}/24 dev {HostContainerInterface}
            addr add {HostContainerSideIPv6}/64 dev {HostContainerInterface} nodad
            link set {HostLanInterface} up
            link set {HostContainerInterface} up

            """);

        Lan.IpBatch(
            $"""
            addr add {CollectorIPv4}/24 dev {LanHostInterface}
            addr add {PeerIPv4}/24 dev {LanHostInterface}
            addr add {DnsIPv4}/24 dev {LanHostInterface}
            addr add {GatewayIPv4}/24 dev {LanHostInterface}
            addr add {CollectorIPv6}/64 dev {LanHostInterface} nodad
            addr add {PeerIPv6}/64 dev {LanHostInterface} nodad
            addr add {DnsIPv6}/64 dev {LanHostInterface} nodad
            addr add {GatewayIPv6}/64 dev {LanHostInterface} nodad
            addr add {RemotePeerIPv4}/32 dev lo
            addr add {InternetIPv4}/32 dev lo
            addr add {RemotePeerIPv6}/128 dev lo
            addr add {InternetIPv6}/128 dev lo
            link set {LanHostInterface} up
            route add 10.99.0.0/24 via {HostIPv4} dev {LanHostInterface}
            route add fd00:99::/64 via {HostIPv6} dev {LanHostInterface}

            """);

        Container.IpBatch(
            $"""
            addr add {ContainerIPv4}/24 dev {ContainerHostInterface}
            addr add {ContainerIPv6}/64 dev {ContainerHostInterface} nodad
            link set {ContainerHostInterface} up
            route add default via {HostContainerSideIPv4} dev {ContainerHostInterface}
            route add ::/0 via {HostContainerSideIPv6} dev {ContainerHostInterface}

            """);

        Host.IpBatch(
            $"""
            route add default via {GatewayIPv4} dev {HostLanInterface}
            route add ::/0 via {GatewayIPv6} dev {HostLanInterface}

            """);
    }
}
