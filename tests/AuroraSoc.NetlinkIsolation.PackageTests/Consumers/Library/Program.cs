// Uses exactly the API README.md documents under "The library", run inside a throwaway namespace by the test
// (`ip netns exec`), so HostIsolator.Open() targets that namespace. Exit 0 and "isolated" on stdout on success.
using AuroraSoc.NetlinkIsolation.Isolation;

var policy = new IsolationPolicy(
    collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:443")],
    allowedPeers: [Endpoint.Parse("198.51.100.0/24")],
    dns: DnsPolicy.AnyResolver,
    allowDhcp: true,
    mode: IsolationMode.Keep);

using HostIsolator isolator = HostIsolator.Open();
IsolationResult result = isolator.Isolate(policy);
if (!isolator.IsIsolated())
{
    Console.Error.WriteLine("consumer: IsIsolated() is false right after Isolate()");
    return 1;
}

IsolationStatus status = isolator.GetStatus();
Console.WriteLine($"{status.State.ToString().ToLowerInvariant()} rules={result.RuleCount}");
return status.State == IsolationState.Isolated ? 0 : 1;
