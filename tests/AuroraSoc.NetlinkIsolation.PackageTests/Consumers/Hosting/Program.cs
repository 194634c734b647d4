// A generic host as README's hosting example shows it. `record NSPATH STATEDIR` records the contract example's
// isolation of a namespace as an intent (what `aurorasoc-isolate isolate` does before committing); `run STATEDIR READY`
// starts the host, writes the file READY once the guard has every intent in force, and stops on SIGTERM (as systemd
// stops it).
using AuroraSoc.NetlinkIsolation.Guard;
using AuroraSoc.NetlinkIsolation.Hosting;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

if (args is ["record", var namespacePath, var recordDirectory])
{
    var policy = new IsolationPolicy(
        collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:443")],
        allowedPeers: [Endpoint.Parse("198.51.100.0/24")],
        dns: DnsPolicy.AnyResolver,
        allowDhcp: true,
        mode: IsolationMode.Keep);
    new IntentStore(recordDirectory).Record(IsolationIntent.Create(namespacePath, policy));
    Console.WriteLine("recorded");
    return 0;
}

if (args is not ["run", var stateDirectory, var readyFile])
{
    Console.Error.WriteLine("usage: HostingConsumer record NSPATH STATEDIR | run STATEDIR READYFILE");
    return 2;
}

var builder = Host.CreateApplicationBuilder();
builder.Services.AddSystemd();
builder.Services.AddIsolationGuard(options =>
{
    options.StateDirectory = stateDirectory;
    options.VerifyInterval = TimeSpan.FromSeconds(5);
});

using IHost host = builder.Build();
await host.StartAsync();
Console.WriteLine($"started owns={host.Services.GetRequiredService<IsolationGuard>().OwnsTables}");
File.WriteAllText(readyFile, "ready\n");

await host.WaitForShutdownAsync();
Console.WriteLine("stopped");
return 0;
