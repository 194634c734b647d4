using System.Net;
using System.Net.Sockets;
using System.Runtime.Versioning;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Isolation;

/// <summary>
/// Packets against a large allowlist: the isolated namespace reaches a responder namespace behind a veth that owns
/// every address (a local route for all of IPv4 and IPv6 there — never in the isolated namespace, whose
/// <c>oif "lo" accept</c> would pass every probe) and accepts TCP on a few ports. A probe to an allowed address
/// connects; any other is answered at once by the contract's <c>reject with tcp reset</c>.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class AllowlistPacketTests
{
    private const int Samples = 1_000;
    private static readonly int[] ListenPorts = [80, 443, 8443];

    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Isolate_LargeAllowlist_EverySampleInsideConnectsEverySampleOutsideRefused(bool v6, bool ports)
    {
        Requirements.RequireNft();
        using var isolated = ThrowawayNamespace.Create("allowlist packets: isolated");
        using var responder = ThrowawayNamespace.Create("allowlist packets: responder");
        Wire(isolated, responder);
        using Responder listening = Responder.Start(responder);

        var random = new Random(v6 ? 61 : 41);
        string list = Generate(random, v6, ports, 5_000);
        IsolationPolicy policy = new IsolationPolicy([Endpoint.Parse("192.0.2.10:6514")]).WithAllowedPeersFrom(new StringReader(list), "list");
        PeerAllowlist allowlist = policy.PeerSets!;
        List<(IPAddress Address, int Port)> inside = SampleInside(random, allowlist, v6, ports);
        List<(IPAddress Address, int Port)> outside = SampleOutside(random, allowlist, v6, ports);

        // The harness can tell success from refusal: before isolation, the outside samples connect too.
        Assert.All(Probe(isolated, outside.Take(50)), r => Assert.True(r.Connected, $"{r.Target} did not connect before isolation: {r.Error}"));

        using (HostIsolator isolator = HostIsolator.Open(isolated.Path))
        {
            isolator.Isolate(policy);
        }

        List<ProbeResult> allowed = Probe(isolated, inside);
        List<ProbeResult> refused = Probe(isolated, outside);
        Assert.True(allowed.All(r => r.Connected), "refused although allowed: " + string.Join(", ", allowed.Where(r => !r.Connected).Take(5)));
        Assert.True(refused.All(r => !r.Connected && r.Error == SocketError.ConnectionRefused), "not refused at once: " + string.Join(", ", refused.Where(r => r.Connected || r.Error != SocketError.ConnectionRefused).Take(5)));
        Assert.True(inside.Count >= Samples && outside.Count >= Samples);
    }

    private static void Wire(ThrowawayNamespace isolated, ThrowawayNamespace responder)
    {
        isolated.IpBatch($"link add vi type veth peer name vr netns {responder.Name}\nlink set lo up\nlink set vi up\naddr add 10.200.0.1/30 dev vi\naddr add fd00:200::1/64 dev vi nodad\nroute add default via 10.200.0.2 dev vi\nroute add default via fd00:200::2 dev vi");
        responder.IpBatch("link set lo up\nlink set vr up\naddr add 10.200.0.2/30 dev vr\naddr add fd00:200::2/64 dev vr nodad\nroute add local 0.0.0.0/0 dev lo table main\nroute add local ::/0 dev lo table main");
    }

    private static string Generate(Random random, bool v6, bool ports, int count)
    {
        var text = new System.Text.StringBuilder();
        for (int i = 0; i < count; i++)
        {
            // Dense in one /12 (IPv4) or /100 (IPv6) so that samples outside sit between allowed ranges.
            UInt128 first = Window(v6) + (UInt128)random.Next(0, 1 << 20);
            int size = random.Next(3) switch { 0 => 1, 1 => 1 << random.Next(1, 8), _ => random.Next(2, 300) };
            first &= size > 1 && (size & (size - 1)) == 0 ? ~(UInt128)(size - 1) : UInt128.MaxValue;
            var range = new PeerRange(v6, first, first + (UInt128)(size - 1), ports ? (ushort)ListenPorts[1 + random.Next(2)] : (ushort)0);
            text.Append(range.ToString()).Append('\n');
        }

        return text.ToString();
    }

    private static UInt128 Window(bool v6) => v6 ? PeerRange.ToNumber(IPAddress.Parse("2001:db8:77::").GetAddressBytes()) : PeerRange.ToNumber(IPAddress.Parse("20.16.0.0").GetAddressBytes());

    private static List<(IPAddress, int)> SampleInside(Random random, PeerAllowlist allowlist, bool v6, bool ports)
    {
        IReadOnlyList<PeerRange> ranges = allowlist.Set((v6 ? 2 : 0) + (ports ? 1 : 0));
        var samples = new List<(IPAddress, int)>();
        while (samples.Count < Samples)
        {
            PeerRange range = ranges[random.Next(ranges.Count)];
            UInt128 address = range.First + (UInt128)random.NextInt64(0, (long)UInt128.Min(range.Last - range.First + 1, long.MaxValue));
            samples.Add((new IPAddress(range.AddressBytes(address)), ports ? range.Port : ListenPorts[0]));
        }

        return samples;
    }

    private static List<(IPAddress, int)> SampleOutside(Random random, PeerAllowlist allowlist, bool v6, bool ports)
    {
        var samples = new List<(IPAddress, int)>();
        var shape = new PeerRange(v6, 0, 0, 0);
        while (samples.Count < Samples)
        {
            UInt128 address = Window(v6) + (UInt128)random.Next(0, 1 << 20);
            int port = ListenPorts[random.Next(ListenPorts.Length)];
            if (!allowlist.Allows(v6, address, (ushort)port))
            {
                samples.Add((new IPAddress(shape.AddressBytes(address)), port));
            }
        }

        return samples;
    }

    private static List<ProbeResult> Probe(ThrowawayNamespace ns, IEnumerable<(IPAddress Address, int Port)> targets) => ns.RunInside(() =>
    {
        var results = new List<ProbeResult>();
        foreach ((IPAddress address, int port) in targets)
        {
            using var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            var target = new IPEndPoint(address, port);
            try
            {
                // A reset arrives at once; the bound only matters if a probe were dropped silently, which is a failure too.
                Task connecting = socket.ConnectAsync(target);
                bool done = connecting.Wait(TimeSpan.FromSeconds(3));
                results.Add(new ProbeResult(target, done, done ? SocketError.Success : SocketError.TimedOut));
            }
            catch (AggregateException exception) when (exception.InnerException is SocketException socketError)
            {
                results.Add(new ProbeResult(target, false, socketError.SocketErrorCode));
            }
        }

        return results;
    });

    private sealed record ProbeResult(IPEndPoint Target, bool Connected, SocketError Error)
    {
        public override string ToString() => $"{Target} {Error}";
    }

    /// <summary>Dual-stack listeners inside the responder on each port, accepting and closing every connection.</summary>
    private sealed class Responder : IDisposable
    {
        private readonly List<Socket> _listeners;

        private Responder(List<Socket> listeners) => _listeners = listeners;

        public static Responder Start(ThrowawayNamespace ns)
        {
            List<Socket> listeners = ns.RunInside(() => ListenPorts.Select(port =>
            {
                var socket = new Socket(AddressFamily.InterNetworkV6, SocketType.Stream, ProtocolType.Tcp) { DualMode = true };
                socket.Bind(new IPEndPoint(IPAddress.IPv6Any, port));
                socket.Listen(4096);
                return socket;
            }).ToList());
            foreach (Socket listener in listeners)
            {
                _ = Task.Run(async () =>
                {
                    try
                    {
                        while (true)
                        {
                            using Socket accepted = await listener.AcceptAsync().ConfigureAwait(false);
                        }
                    }
                    catch (SocketException)
                    {
                    }
                    catch (ObjectDisposedException)
                    {
                    }
                });
            }

            return new Responder(listeners);
        }

        public void Dispose()
        {
            foreach (Socket listener in _listeners)
            {
                listener.Dispose();
            }
        }
    }
}
