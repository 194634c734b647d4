using AuroraSoc.NetlinkIsolation.Isolation;

// aurorasoc-isolate-floor --here          isolates the namespace it runs in (refused in the machine's own)
// aurorasoc-isolate-floor NETNS-PATH      isolates the namespace at NETNS-PATH
// The isolate is the contract example, as `aurorasoc-isolate isolate --collector 192.0.2.10 --collector
// [2001:db8::10]:443 --allow-peer 198.51.100.0/24 --allow-dns --allow-dhcp [--netns NETNS-PATH]` does, with nothing
// but the library: what the CLI adds on top of it is the CLI's own start-up.
if (args.Length != 1 || !(args[0] == "--here" || args[0].StartsWith('/')))
{
    Console.Error.WriteLine("usage: aurorasoc-isolate-floor [--here | NETNS-PATH]");
    return 2;
}

// pid 1 runs in the machine's own network namespace; a benchmark must never isolate that one.
string? netns = args[0] == "--here" ? null : args[0];
if (netns is null && new FileInfo("/proc/self/ns/net").LinkTarget == new FileInfo("/proc/1/ns/net").LinkTarget)
{
    Console.Error.WriteLine("refusing --here: this process runs in the machine's own network namespace");
    return 2;
}

var policy = new IsolationPolicy(
    collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:443")],
    allowedPeers: [Endpoint.Parse("198.51.100.0/24")],
    dns: DnsPolicy.AnyResolver,
    allowDhcp: true);
using HostIsolator isolator = HostIsolator.Open(netns);
IsolationResult result = isolator.Isolate(policy);
Console.Out.WriteLine($"isolated: table inet {result.TableName}, {result.RuleCount} rules in one transaction ({result.ElapsedMicroseconds} µs)");
return 0;
