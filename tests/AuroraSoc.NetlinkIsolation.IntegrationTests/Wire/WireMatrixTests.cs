using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Wire;

/// <summary>
/// The containment matrix (docs/ruleset.md, "Containment matrix"): real traffic across the <see cref="Topology"/> while Host is isolated, for one
/// way of applying isolation (<see cref="IsolationVariant"/>) and one <see cref="IsolationMode"/>. Each concrete
/// class below runs this whole matrix on its own <see cref="WireSite"/>; tests of a class run one after another and
/// each leaves Host unisolated with no foreign table. Every flow is first checked to work without isolation, so a
/// failure while isolated is the ruleset's doing. Outcomes and times go to <see cref="WireMatrixReport"/>.
/// </summary>
public abstract class WireMatrixTests : IDisposable
{
    /// <summary>A stateful host firewall: makes conntrack track the namespace's flows before isolation.</summary>
    public const string HostFirewall = """
        table inet hostfw {
            chain input {
                type filter hook input priority 10; policy accept;
                ct state established accept
            }
        }

        """;

    private static readonly byte[] ClientMac = [0x02, 0x00, 0x00, 0x00, 0x00, 0x01];

    private readonly WireSiteFixture fixture;
    private readonly RootNamespaceGuard guard;
    private readonly List<IDisposable> cleanup = [];
    private WireSite? site;
    private IIsolationDriver? driver;

    protected WireMatrixTests(WireSiteFixture fixture, RootNamespaceGuard guard, IsolationVariant variant, IsolationMode mode)
    {
        this.fixture = fixture;
        this.guard = guard;
        Variant = variant;
        Mode = mode;
    }

    protected IsolationVariant Variant { get; }

    protected IsolationMode Mode { get; }

    private bool Keep => Mode == IsolationMode.Keep;

    [Fact]
    public void Collectors_ReachableOnTheirPortsOverIPv4AndIPv6_AfterNeighbourFlush()
    {
        var (s, p) = Begin("1. Collectors and allowed peers");
        var t = s.Topology;
        Baseline(p, () =>
        {
            p.Tcp("collector v4", t.Host, t.CollectorIPv4, WireSite.ServicePort, Expect.Works);
            p.Tcp("port collector v6 other port", t.Host, s.PortCollectorIPv6, WireSite.ServicePort, Expect.Works);
            p.Udp("port collector v4 UDP", t.Host, s.PortCollectorIPv4, WireSite.UdpPort, Expect.Works);
            p.Tcp("remote v6", t.Host, t.RemotePeerIPv6, WireSite.ServicePort, Expect.Works);
            p.Tcp("inbound from port collector", t.Lan, t.HostIPv4, WireSite.HostTcpPort, Expect.Works, s.PortCollectorIPv4);
        });

        Isolate(p, Policy(), recordCall: true);

        foreach (var collector in new[] { t.CollectorIPv4, t.CollectorIPv6 })
        {
            p.Tcp($"TCP → collector {collector} port {WireSite.ServicePort} (no port in policy)", t.Host, collector, WireSite.ServicePort, Expect.Works);
            p.Tcp($"TCP → collector {collector} port {WireSite.SecondPort}", t.Host, collector, WireSite.SecondPort, Expect.Works);
            p.Udp($"UDP → collector {collector} port {WireSite.UdpPort}", t.Host, collector, WireSite.UdpPort, Expect.Works);
        }

        foreach (var collector in new[] { s.PortCollectorIPv4, s.PortCollectorIPv6 })
        {
            p.Tcp($"TCP → collector {collector} port 443 (policy `:443`)", t.Host, collector, WireSite.CollectorServicePort, Expect.Works);
            p.Tcp($"TCP → collector {collector} port {WireSite.ServicePort} (not its port)", t.Host, collector, WireSite.ServicePort, Expect.Reset);
            p.Udp($"UDP → collector {collector} port {WireSite.UdpPort} (port given = TCP only)", t.Host, collector, WireSite.UdpPort, Expect.Fails);
        }

        foreach (var remote in new[] { t.RemotePeerIPv4, t.RemotePeerIPv6 })
        {
            p.Tcp($"TCP → allowed off-link peer {remote} (via gateway)", t.Host, remote, WireSite.ServicePort, Expect.Works);
        }

        // Inbound, with fresh neighbour caches again so Lan has to resolve Host through the isolated ruleset.
        t.FlushNeighbours();
        foreach (var (collector, host) in new[] { (t.CollectorIPv4, t.HostIPv4), (t.CollectorIPv6, t.HostIPv6) })
        {
            p.Tcp($"inbound TCP collector {collector} → Host:{WireSite.HostTcpPort}", t.Lan, host, WireSite.HostTcpPort, Expect.Works, collector);
            p.Udp($"inbound UDP collector {collector} → Host:{WireSite.HostUdpPort}", t.Lan, host, WireSite.HostUdpPort, Expect.Works, collector);
        }

        p.Concurrently(
        [
            .. new[] { (s.PortCollectorIPv4, t.HostIPv4), (s.PortCollectorIPv6, t.HostIPv6) }.Select(x => (Action<WireProbe>)(q =>
                q.Tcp($"inbound TCP collector {x.Item1} (source port ≠ 443) → Host:{WireSite.HostTcpPort}", t.Lan, x.Item2, WireSite.HostTcpPort, Expect.Silent, x.Item1))),
        ]);

        p.AssertAll();
    }

    [Fact]
    public void OtherPeers_NewOutboundTcpResetAtOnce_UdpFails_InboundGetsNothing()
    {
        var (s, p) = Begin("2. Other peers");
        var t = s.Topology;
        var targets = new[] { t.PeerIPv4, t.PeerIPv6, t.InternetIPv4, t.InternetIPv6 };
        var hosts = new[] { (t.PeerIPv4, t.HostIPv4), (t.PeerIPv6, t.HostIPv6) };
        Baseline(p, () =>
        {
            foreach (var target in targets)
            {
                p.Tcp("baseline", t.Host, target, WireSite.ServicePort, Expect.Works);
            }

            foreach (var (peer, host) in hosts)
            {
                p.Udp("baseline", t.Host, peer, WireSite.UdpPort, Expect.Works);
                p.Tcp("baseline", t.Lan, host, WireSite.HostTcpPort, Expect.Works, peer);
                p.Udp("baseline", t.Lan, host, WireSite.HostUdpPort, Expect.Works, peer);
            }
        });

        Isolate(p, Policy());

        foreach (var target in targets)
        {
            var where = target.Equals(t.InternetIPv4) || target.Equals(t.InternetIPv6) ? "off-link address" : "LAN peer";
            p.Tcp($"new TCP → {where} {target}:{WireSite.ServicePort}", t.Host, target, WireSite.ServicePort, Expect.Reset);
        }

        foreach (var (peer, _) in hosts)
        {
            p.Udp($"UDP → LAN peer {peer}:{WireSite.UdpPort}", t.Host, peer, WireSite.UdpPort, Expect.Fails);
        }

        p.Concurrently(
        [
            .. hosts.SelectMany(x => new Action<WireProbe>[]
            {
                q => q.Tcp($"inbound TCP peer {x.Item1} → Host:{WireSite.HostTcpPort}", t.Lan, x.Item2, WireSite.HostTcpPort, Expect.Silent, x.Item1),
                q => q.Udp($"inbound UDP peer {x.Item1} → Host:{WireSite.HostUdpPort}", t.Lan, x.Item2, WireSite.HostUdpPort, Expect.Silent, x.Item1),
            }),
        ]);

        p.AssertAll();
    }

    [Fact]
    public void OtherPeers_NoReject_NewOutboundTcpDroppedSilently()
    {
        var (s, p) = Begin("2b. Other peers with `--no-reject` (no output reject rule)");
        var t = s.Topology;

        Isolate(p, Policy(rejectTcp: false));

        p.Concurrently(
        [
            .. new[] { t.PeerIPv4, t.PeerIPv6 }.Select(peer => (Action<WireProbe>)(q =>
                q.Tcp($"new TCP → LAN peer {peer}:{WireSite.ServicePort}", t.Host, peer, WireSite.ServicePort, Expect.Silent))),
        ]);
        p.Tcp($"TCP → collector {t.CollectorIPv4}:{WireSite.ServicePort}", t.Host, t.CollectorIPv4, WireSite.ServicePort, Expect.Works);
        p.AssertAll();
    }

    [Theory]
    [InlineData(DnsPolicy.Off)]
    [InlineData(DnsPolicy.AnyResolver)]
    [InlineData(DnsPolicy.ListedResolvers)]
    public void Dns_QueriesAnsweredOnlyWhereThePolicyAllows(DnsPolicy dns)
    {
        var groupName = dns switch
        {
            DnsPolicy.Off => "3a. DNS off",
            DnsPolicy.AnyResolver => "3b. DNS any resolver (`--allow-dns`)",
            _ => "3c. DNS listed resolvers (`--dns-server 192.0.2.53 --dns-server 2001:db8::53`)",
        };
        var (s, p) = Begin(groupName);
        var t = s.Topology;
        var resolvers = new[] { (t.DnsIPv4, Listed: true), (t.DnsIPv6, Listed: true), (s.UnlistedDnsIPv4, Listed: false), (s.UnlistedDnsIPv6, Listed: false) };
        var query = DnsQuery();
        var tcpQuery = (byte[])[(byte)(query.Length >> 8), (byte)query.Length, .. query];
        Baseline(p, () =>
        {
            foreach (var (resolver, _) in resolvers)
            {
                p.Udp("baseline", t.Host, resolver, WireSite.DnsPort, Expect.Works, payload: query);
                p.TcpExchange("baseline", t.Host, resolver, WireSite.DnsPort, tcpQuery, Expect.Works);
            }
        });

        Isolate(p, Policy(dns: dns, resolvers: dns == DnsPolicy.ListedResolvers ? [t.DnsIPv4, t.DnsIPv6] : null));

        foreach (var (resolver, listed) in resolvers)
        {
            var answers = dns == DnsPolicy.AnyResolver || (dns == DnsPolicy.ListedResolvers && listed);
            var label = listed ? "resolver" : "second resolver (never listed)";
            p.Udp($"UDP query → {label} {resolver}:53", t.Host, resolver, WireSite.DnsPort, answers ? Expect.Works : Expect.Fails, payload: query);
            p.TcpExchange($"TCP query → {label} {resolver}:53", t.Host, resolver, WireSite.DnsPort, tcpQuery, answers ? Expect.Works : Expect.Reset);
        }

        p.AssertAll();
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Dhcp_ExchangeAcrossTheVeth_OnlyWhenAllowed(bool allowDhcp)
    {
        var (s, p) = Begin(allowDhcp ? "4a. DHCP allowed (`--allow-dhcp`)" : "4b. DHCP not allowed");
        var t = s.Topology;
        DhcpResult V4(TimeSpan bound) => Dhcp4Client.Exchange(t.Host, t.HostLanInterface, ClientMac, bound);
        DhcpResult V6(TimeSpan bound) => Dhcp6Client.Exchange(t.Host, t.HostLanInterface, ClientMac, bound);
        Baseline(p, () =>
        {
            p.Dhcp("baseline v4", V4, Expect.Works);
            p.Dhcp("baseline v6", V6, Expect.Works);
        });
        var v4Seen = s.Dhcp4.Received.Count;
        var v6Seen = s.Dhcp6.Received.Count;

        Isolate(p, Policy(dhcp: allowDhcp));

        var expect = allowDhcp ? Expect.Works : Expect.Fails;
        p.Dhcp("DHCPv4 DISCOVER/OFFER/REQUEST/ACK, 0.0.0.0:68 ⇄ 255.255.255.255:67 on h-lan (server 192.0.2.254)", V4, expect);
        p.Dhcp("DHCPv6 SOLICIT/ADVERTISE/REQUEST/REPLY, [fe80::…]:546 ⇄ [ff02::1:2]:547", V6, expect);
        var v4Now = s.Dhcp4.Received.Count - v4Seen;
        var v6Now = s.Dhcp6.Received.Count - v6Seen;
        p.Fact(
            "DHCP servers received the client's messages",
            allowDhcp ? v4Now == 2 && v6Now == 2 : v4Now == 0 && v6Now == 0,
            $"v4 {v4Now}, v6 {v6Now} message(s)");

        // The inbound half on its own (when DHCP is off the client's first send already fails, which would leave
        // the input rule untested): the servers send without being asked.
        var inbound = allowDhcp ? Expect.Works : Expect.Silent;
        p.Concurrently(
            q => q.Dhcp(
                "inbound only: OFFER 192.0.2.254:67 → 255.255.255.255:68 reaches a socket on Host:68",
                bound => Dhcp4Client.AwaitOffer(t.Host, t.HostLanInterface, s.Dhcp4, ClientMac, bound),
                inbound),
            q => q.Dhcp(
                "inbound only: ADVERTISE [fe80::…]:547 → [Host's fe80::…]:546",
                bound => Dhcp6Client.AwaitAdvertise(t.Host, t.HostLanInterface, t.Lan, t.LanHostInterface, s.Dhcp6, ClientMac, bound),
                inbound));
        p.AssertAll();
    }

    [Fact]
    public void Forwarding_BlockedWhileIsolated_FlowsAgainAfterUnisolate()
    {
        var (s, p) = Begin("5a. Routed traffic Container → Lan (forward chain)");
        var t = s.Topology;
        var targets = new[] { t.PeerIPv4, t.PeerIPv6, t.CollectorIPv4 };
        Baseline(p, () =>
        {
            foreach (var target in targets)
            {
                p.Tcp("baseline", t.Container, target, WireSite.ServicePort, Expect.Works);
            }

            p.Udp("baseline", t.Container, t.PeerIPv4, WireSite.UdpPort, Expect.Works);
        });

        Isolate(p, Policy());

        p.Concurrently(
        [
            .. targets.Select(target => (Action<WireProbe>)(q =>
                q.Tcp($"routed TCP Container → {(target.Equals(t.CollectorIPv4) ? "collector" : "peer")} {target}:{WireSite.ServicePort}", t.Container, target, WireSite.ServicePort, Expect.Silent))),
            q => q.Udp($"routed UDP Container → peer {t.PeerIPv4}:{WireSite.UdpPort}", t.Container, t.PeerIPv4, WireSite.UdpPort, Expect.Silent),
        ]);

        driver!.Unisolate();

        foreach (var target in new[] { t.PeerIPv4, t.PeerIPv6 })
        {
            p.Tcp($"after unisolate: routed TCP Container → peer {target}", t.Container, target, WireSite.ServicePort, Expect.Works);
        }

        p.AssertAll();
    }

    [Fact]
    public void Forwarding_KeepForwarding_ContainerTrafficFlowsWhileHostIsIsolated()
    {
        var (s, p) = Begin("5b. Routed traffic with `--keep-forwarding` (no forward chain)");
        var t = s.Topology;

        Isolate(p, Policy(blockForwarding: false));

        foreach (var target in new[] { t.PeerIPv4, t.PeerIPv6 })
        {
            p.Tcp($"routed TCP Container → peer {target}:{WireSite.ServicePort}", t.Container, target, WireSite.ServicePort, Expect.Works);
        }

        p.Udp($"routed UDP Container → peer {t.PeerIPv4}:{WireSite.UdpPort}", t.Container, t.PeerIPv4, WireSite.UdpPort, Expect.Works);
        p.Tcp($"Host's own new TCP → peer {t.PeerIPv4} (still isolated)", t.Host, t.PeerIPv4, WireSite.ServicePort, Expect.Reset);
        p.AssertAll();
    }

    [Fact]
    public void SessionsOpenedBeforeIsolating_NoConntrackYet_CollectorSurvives_PeerCut()
    {
        var (s, p) = Begin("6. Sessions opened before isolating, no firewall before (conntrack not tracking)");
        var t = s.Topology;
        var sessions = OpenSessions(s, p);

        Isolate(p, Policy());

        foreach (var (label, connection, isCollector) in sessions)
        {
            // ruleset.md, connection tracking note: untracked flows are "new" after isolation; only the
            // address rules of collectors keep theirs alive, in both modes.
            p.Session($"TCP session opened before, to {label}", connection, isCollector ? Expect.Works : Expect.Fails);
        }

        p.AssertAll();
    }

    [Fact]
    public void SessionsOpenedBeforeIsolating_HostFirewallTracking_PeerSurvivesOnlyInKeepMode()
    {
        var (s, p) = Begin("7. Sessions opened before isolating, host firewall tracking (conntrack on)");
        var t = s.Topology;
        t.Host.ApplyNftRuleset(HostFirewall);
        var foreignBefore = t.Host.ListTable("inet", "hostfw");
        var sessions = OpenSessions(s, p);

        Isolate(p, Policy());

        foreach (var (label, connection, isCollector) in sessions)
        {
            p.Session($"TCP session opened before, to {label}", connection, isCollector || Keep ? Expect.Works : Expect.Fails);
        }

        p.Tcp($"new TCP → peer {t.PeerIPv4} (tracking opens nothing new)", t.Host, t.PeerIPv4, WireSite.ServicePort, Expect.Reset);

        driver!.Unisolate();

        foreach (var (label, connection, isCollector) in sessions)
        {
            // A session strict mode cut stays dead: the reset closed the socket.
            p.Session($"after unisolate: same session to {label}", connection, isCollector || Keep ? Expect.Works : Expect.Fails);
        }

        p.Tcp($"after unisolate: new TCP → peer {t.PeerIPv4}", t.Host, t.PeerIPv4, WireSite.ServicePort, Expect.Works);
        var foreignAfter = t.Host.ListTable("inet", "hostfw");
        p.Fact("after unisolate: foreign table `inet hostfw` byte-identical (nft list table)", foreignAfter == foreignBefore, foreignAfter == foreignBefore ? "identical" : "changed");
        p.AssertAll();
        Assert.Equal(foreignBefore, foreignAfter);
    }

    [Fact]
    public void Unisolate_EveryFlowWorksAgain_ForeignTableUntouched()
    {
        var (s, p) = Begin("8. After unisolate (isolated with DNS listed, DHCP off, forward blocked; host firewall present)");
        var t = s.Topology;
        t.Host.ApplyNftRuleset(HostFirewall);
        var foreignBefore = t.Host.ListTable("inet", "hostfw");
        var rulesetBefore = t.Host.ListRuleset();
        var query = DnsQuery();

        Isolate(p, Policy(dns: DnsPolicy.ListedResolvers, resolvers: [t.DnsIPv4, t.DnsIPv6]));
        p.Tcp($"while isolated: new TCP → peer {t.PeerIPv4}", t.Host, t.PeerIPv4, WireSite.ServicePort, Expect.Reset);
        p.Tcp($"while isolated: routed TCP Container → peer {t.PeerIPv4}", t.Container, t.PeerIPv4, WireSite.ServicePort, Expect.Silent);

        driver!.Unisolate();
        p.Fact("status after unisolate: not isolated", !driver.IsIsolated(), "not isolated");
        t.FlushNeighbours();

        foreach (var target in new[] { t.PeerIPv4, t.PeerIPv6, t.InternetIPv4, t.InternetIPv6 })
        {
            p.Tcp($"new TCP → {target}:{WireSite.ServicePort}", t.Host, target, WireSite.ServicePort, Expect.Works);
        }

        foreach (var (peer, host) in new[] { (t.PeerIPv4, t.HostIPv4), (t.PeerIPv6, t.HostIPv6) })
        {
            p.Udp($"UDP → peer {peer}:{WireSite.UdpPort}", t.Host, peer, WireSite.UdpPort, Expect.Works);
            p.Tcp($"inbound TCP peer {peer} → Host", t.Lan, host, WireSite.HostTcpPort, Expect.Works, peer);
            p.Udp($"inbound UDP peer {peer} → Host", t.Lan, host, WireSite.HostUdpPort, Expect.Works, peer);
            p.Tcp($"routed TCP Container → peer {peer}", t.Container, peer, WireSite.ServicePort, Expect.Works);
        }

        p.Udp($"UDP query → unlisted resolver {s.UnlistedDnsIPv4}:53", t.Host, s.UnlistedDnsIPv4, WireSite.DnsPort, Expect.Works, payload: query);
        p.Dhcp("DHCPv4 exchange", bound => Dhcp4Client.Exchange(t.Host, t.HostLanInterface, ClientMac, bound), Expect.Works);
        p.Dhcp("DHCPv6 exchange", bound => Dhcp6Client.Exchange(t.Host, t.HostLanInterface, ClientMac, bound), Expect.Works);

        var foreignAfter = t.Host.ListTable("inet", "hostfw");
        var rulesetAfter = t.Host.ListRuleset();
        p.Fact("foreign table `inet hostfw` byte-identical (nft list table)", foreignAfter == foreignBefore, foreignAfter == foreignBefore ? "identical" : "changed");
        p.Fact("`nft list ruleset` identical to before isolating", rulesetAfter == rulesetBefore, rulesetAfter == rulesetBefore ? "identical" : "changed");
        p.AssertAll();
        Assert.Equal(foreignBefore, foreignAfter);
        Assert.Equal(rulesetBefore, rulesetAfter);
    }

    public void Dispose()
    {
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (!disposing)
        {
            return;
        }

        foreach (var item in cleanup)
        {
            item.Dispose();
        }

        driver?.Dispose();
        if (site is not null)
        {
            ClearHost(site);
        }

        guard.AssertUnchanged();
    }

    /// <summary>A DNS query (RFC 1035) for <c>collector.example. IN A</c>; the DNS-like servers echo it.</summary>
    private static byte[] DnsQuery() =>
    [
        0x4a, 0x53, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
        9, .. "collector"u8, 7, .. "example"u8, 0,
        0x00, 0x01, 0x00, 0x01,
    ];

    /// <summary>Removes any isolation table and foreign table from Host (nft in Host only), whatever the last test left.</summary>
    private static void ClearHost(WireSite site)
    {
        foreach (var table in new[] { IsolationPolicy.DefaultTableName, "hostfw" })
        {
            if (site.Host.NftTry($"list table inet {table}").Succeeded)
            {
                site.Host.Nft($"delete table inet {table}");
            }
        }
    }

    private static void Baseline(WireProbe probe, Action probes)
    {
        probe.Recording = false;
        try
        {
            probes();
        }
        finally
        {
            probe.Recording = true;
        }
    }

    private (WireSite Site, WireProbe Probe) Begin(string group)
    {
        Requirements.RequireNfTables();
        site = fixture.Site;
        ClearHost(site);
        driver = IsolationDrivers.Open(Variant, site.Host);
        return (site, new WireProbe(Variant, Mode, group));
    }

    private IsolationPolicy Policy(
        DnsPolicy dns = DnsPolicy.Off,
        IEnumerable<IPAddress>? resolvers = null,
        bool dhcp = false,
        bool blockForwarding = true,
        bool rejectTcp = true)
    {
        var t = site!.Topology;
        return new IsolationPolicy(
            collectors:
            [
                new Endpoint(t.CollectorIPv4), new Endpoint(t.CollectorIPv6),
                new Endpoint(site.PortCollectorIPv4, port: WireSite.CollectorServicePort),
                new Endpoint(site.PortCollectorIPv6, port: WireSite.CollectorServicePort),
            ],
            allowedPeers: [new Endpoint(t.RemotePeerIPv4), new Endpoint(t.RemotePeerIPv6)],
            dns: dns,
            dnsResolvers: resolvers,
            allowDhcp: dhcp,
            mode: Mode,
            blockForwarding: blockForwarding,
            rejectTcp: rejectTcp);
    }

    /// <summary>Isolates, checks the kernel says so, then flushes every neighbour cache so ARP/NDP must run under
    /// the ruleset.</summary>
    private void Isolate(WireProbe probe, IsolationPolicy policy, bool recordCall = false)
    {
        var (call, reported) = driver!.Isolate(policy);
        TestContext.Current.TestOutputHelper?.WriteLine($"isolate ({Variant}, {Mode}): call {call.TotalMilliseconds:0.###} ms, reported {reported} µs");
        // nft is the oracle (no CLI round trip per test): the table must be in Host now.
        var listed = site!.Host.NftTry($"list table inet {policy.TableName}");
        Assert.True(listed.Succeeded, $"isolate returned but Host has no table inet {policy.TableName}: {listed.StandardError.Trim()}");
        if (recordCall)
        {
            probe.Fact("isolate call: wall time (kernel transaction µs as reported)", true, $"{reported} µs", call);
        }

        site.Topology.FlushNeighbours();
    }

    /// <summary>Opens TCP sessions from Host to both collectors and both peers, and checks each echoes.</summary>
    private List<(string Label, NamespaceTcpConnection Connection, bool IsCollector)> OpenSessions(WireSite s, WireProbe p)
    {
        var t = s.Topology;
        var sessions = new List<(string, NamespaceTcpConnection, bool)>();
        foreach (var (address, isCollector) in new[] { (t.CollectorIPv4, true), (t.CollectorIPv6, true), (t.PeerIPv4, false), (t.PeerIPv6, false) })
        {
            var connection = NamespaceSockets.TcpOpen(t.Host, address, WireSite.ServicePort, WireProbe.WorkBound);
            cleanup.Add(connection);
            sessions.Add(($"{(isCollector ? "collector" : "peer")} {address}", connection, isCollector));
        }

        Baseline(p, () =>
        {
            foreach (var (label, connection, _) in sessions)
            {
                p.Session(label, connection, Expect.Works);
            }
        });
        return sessions;
    }
}

public sealed class OutsideKeepMatrixTests(WireSiteFixture site, RootNamespaceGuard guard)
    : WireMatrixTests(site, guard, IsolationVariant.Outside, IsolationMode.Keep), IClassFixture<WireSiteFixture>, IClassFixture<RootNamespaceGuard>;

public sealed class OutsideStrictMatrixTests(WireSiteFixture site, RootNamespaceGuard guard)
    : WireMatrixTests(site, guard, IsolationVariant.Outside, IsolationMode.Strict), IClassFixture<WireSiteFixture>, IClassFixture<RootNamespaceGuard>;

public sealed class InsideKeepMatrixTests(WireSiteFixture site, RootNamespaceGuard guard)
    : WireMatrixTests(site, guard, IsolationVariant.Inside, IsolationMode.Keep), IClassFixture<WireSiteFixture>, IClassFixture<RootNamespaceGuard>;

public sealed class InsideStrictMatrixTests(WireSiteFixture site, RootNamespaceGuard guard)
    : WireMatrixTests(site, guard, IsolationVariant.Inside, IsolationMode.Strict), IClassFixture<WireSiteFixture>, IClassFixture<RootNamespaceGuard>;

public sealed class CliKeepMatrixTests(WireSiteFixture site, RootNamespaceGuard guard)
    : WireMatrixTests(site, guard, IsolationVariant.Cli, IsolationMode.Keep), IClassFixture<WireSiteFixture>, IClassFixture<RootNamespaceGuard>;

public sealed class CliStrictMatrixTests(WireSiteFixture site, RootNamespaceGuard guard)
    : WireMatrixTests(site, guard, IsolationVariant.Cli, IsolationMode.Strict), IClassFixture<WireSiteFixture>, IClassFixture<RootNamespaceGuard>;
