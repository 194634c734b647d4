using System.Net;

namespace AuroraSoc.NetlinkIsolation.Demo;

/// <summary>
/// The demo site, five throwaway namespaces and documentation addresses only:
/// <code>
///   collector 192.0.2.10 / 2001:db8::10 ─┐
///   peer      192.0.2.20 / 2001:db8::20 ─┼─ switch (bridge) ─ host 192.0.2.1 / 2001:db8::1 ─ container 10.99.0.2
///                                                            (routes 10.99.0.0/24, forwarding on)
/// </code>
/// Every veth pair is created from inside a namespace with its peer end placed straight into another, so no
/// interface ever appears in the machine's own namespace.
/// </summary>
internal sealed class DemoTopology
{
    private DemoTopology(DemoNamespace host, DemoNamespace collector, DemoNamespace peer, DemoNamespace container, DemoNamespace lanSwitch)
    {
        Host = host;
        Collector = collector;
        Peer = peer;
        Container = container;
        Switch = lanSwitch;
    }

    /// <summary>The namespace that gets isolated.</summary>
    public DemoNamespace Host { get; }

    /// <summary>The SOC collector: must stay reachable.</summary>
    public DemoNamespace Collector { get; }

    /// <summary>Any other machine on the LAN: must be cut off.</summary>
    public DemoNamespace Peer { get; }

    /// <summary>A container routed behind the host: its forwarded traffic must stop.</summary>
    public DemoNamespace Container { get; }

    /// <summary>The LAN: a bridge joining host, collector and peer.</summary>
    public DemoNamespace Switch { get; }

    public static IPAddress HostIPv4 { get; } = IPAddress.Parse("192.0.2.1");

    public static IPAddress CollectorIPv4 { get; } = IPAddress.Parse("192.0.2.10");

    public static IPAddress CollectorIPv6 { get; } = IPAddress.Parse("2001:db8::10");

    public static IPAddress PeerIPv4 { get; } = IPAddress.Parse("192.0.2.20");

    public static IPAddress ContainerIPv4 { get; } = IPAddress.Parse("10.99.0.2");

    public IEnumerable<DemoNamespace> All => [Host, Collector, Peer, Container, Switch];

    public static DemoTopology Build(NamespaceRegistry registry)
    {
        var topology = new DemoTopology(
            registry.Create("host"), registry.Create("collector"), registry.Create("peer"), registry.Create("container"), registry.Create("switch"));
        topology.Wire();
        return topology;
    }

    private void Wire()
    {
        // DAD off, so IPv6 addresses are usable at once; the host routes for its container.
        string[] noDad = ["net.ipv6.conf.all.accept_dad=0", "net.ipv6.conf.default.accept_dad=0"];
        foreach (DemoNamespace ns in All)
        {
            ns.Sysctl(noDad);
        }

        Host.Sysctl("net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1");

        Switch.IpBatch(
            """
            link add br0 type bridge
            link set br0 up

            """);
        Host.IpBatch(
            $"""
            link add h-lan type veth peer name sw-host netns {Switch.Name}
            link add h-ctr type veth peer name c-host netns {Container.Name}
            addr add {HostIPv4}/24 dev h-lan
            addr add 2001:db8::1/64 dev h-lan nodad
            addr add 10.99.0.1/24 dev h-ctr
            link set h-lan up
            link set h-ctr up

            """);
        Collector.IpBatch(
            $"""
            link add c-lan type veth peer name sw-collector netns {Switch.Name}
            addr add {CollectorIPv4}/24 dev c-lan
            addr add {CollectorIPv6}/64 dev c-lan nodad
            link set c-lan up
            route add 10.99.0.0/24 via {HostIPv4}

            """);
        Peer.IpBatch(
            $"""
            link add p-lan type veth peer name sw-peer netns {Switch.Name}
            addr add {PeerIPv4}/24 dev p-lan
            addr add 2001:db8::20/64 dev p-lan nodad
            link set p-lan up
            route add 10.99.0.0/24 via {HostIPv4}

            """);
        Switch.IpBatch(
            """
            link set sw-host master br0
            link set sw-collector master br0
            link set sw-peer master br0
            link set sw-host up
            link set sw-collector up
            link set sw-peer up

            """);
        Container.IpBatch(
            $"""
            addr add {ContainerIPv4}/24 dev c-host
            link set c-host up
            route add default via 10.99.0.1

            """);
    }
}
