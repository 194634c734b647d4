using System.Net;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Demo;

// The demo: a host, a collector, another LAN peer and a container routed behind the host, all in throwaway
// network namespaces; the real CLI isolates the host; TCP probes show what changed; everything is deleted again.
// Nothing here touches this machine's own network namespace.
if (args is ["--help" or "-h", ..])
{
    Console.WriteLine("usage: sudo dotnet run --project src/AuroraSoc.NetlinkIsolation.Demo [-- --cli PATH]");
    Console.WriteLine("  --cli PATH   the aurorasoc-isolate to drive (e.g. the NativeAOT binary); default: the one built with the demo");
    return 0;
}

string? cliPath = args is ["--cli", string path, ..] ? path : null;
if (!Environment.IsPrivilegedProcess)
{
    Console.Error.WriteLine("aurorasoc-isolate-demo: needs root to create network namespaces: sudo dotnet run --project src/AuroraSoc.NetlinkIsolation.Demo");
    return 1;
}

var registry = new NamespaceRegistry();
void CleanUpAndExit(int exitCode, string why)
{
    Console.Error.WriteLine($"\n{why}: cleaning up");
    Console.Error.WriteLine($"deleted {registry.DeleteAll()} namespaces");
    Environment.Exit(exitCode);
}

Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    CleanUpAndExit(130, "interrupted");
};
// SIGTERM and SIGHUP end the demo the same way (the runtime's default SIGTERM handling does not reliably run child
// processes such as `ip netns del` during shutdown). ProcessExit is the backstop for any other exit.
using PosixSignalRegistration terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    CleanUpAndExit(143, "terminated");
});
using PosixSignalRegistration hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context =>
{
    context.Cancel = true;
    CleanUpAndExit(129, "hang-up");
});
AppDomain.CurrentDomain.ProcessExit += (_, _) => registry.DeleteAll();

var services = new List<TcpService>();
try
{
    Console.WriteLine("AuroraSoc NetlinkIsolation demo: everything happens in throwaway network namespaces;");
    Console.WriteLine("this machine's own firewall and interfaces are never touched.\n");
    foreach (string stale in NamespaceRegistry.SweepStale())
    {
        Console.WriteLine($"removed {stale}, left behind by an earlier demo that was killed");
    }

    Console.WriteLine("[1/6] building the site");
    DemoTopology site = DemoTopology.Build(registry);
    Console.WriteLine($"  host       {site.Host.Name,-32} 192.0.2.1, 2001:db8::1 on the LAN; 10.99.0.1 towards its container");
    Console.WriteLine($"  collector  {site.Collector.Name,-32} 192.0.2.10, 2001:db8::10 (the SOC collector, TCP 6514)");
    Console.WriteLine($"  peer       {site.Peer.Name,-32} 192.0.2.20, 2001:db8::20 (another machine, TCP 80)");
    Console.WriteLine($"  container  {site.Container.Name,-32} 10.99.0.2, routed behind the host");
    Console.WriteLine($"  switch     {site.Switch.Name,-32} the LAN bridge");

    // The CLI is pointed at the host with --netns; make sure that path really is another namespace than ours.
    string own = new FileInfo("/proc/self/ns/net").LinkTarget ?? "unknown";
    if (NamespaceThread.IdentityOf(site.Host.Path) == own)
    {
        throw new InvalidOperationException($"{site.Host.Path} is this machine's own namespace; refusing to isolate it");
    }

    CliDriver cli = CliDriver.Locate(cliPath, site.Host);
    services.Add(TcpService.Start(site.Collector, new IPEndPoint(DemoTopology.CollectorIPv4, 6514)));
    services.Add(TcpService.Start(site.Collector, new IPEndPoint(DemoTopology.CollectorIPv6, 6514)));
    services.Add(TcpService.Start(site.Peer, new IPEndPoint(DemoTopology.PeerIPv4, 80)));
    services.Add(TcpService.Start(site.Host, new IPEndPoint(IPAddress.Any, 22)));

    ReachabilityCheck[] checks =
    [
        new("host → collector 192.0.2.10:6514", site.Host, new IPEndPoint(DemoTopology.CollectorIPv4, 6514), ProbeOutcome.Connected),
        new("host → collector [2001:db8::10]:6514", site.Host, new IPEndPoint(DemoTopology.CollectorIPv6, 6514), ProbeOutcome.Connected),
        new("collector → host 192.0.2.1:22 (inbound)", site.Collector, new IPEndPoint(DemoTopology.HostIPv4, 22), ProbeOutcome.Connected),
        new("host → other peer 192.0.2.20:80", site.Host, new IPEndPoint(DemoTopology.PeerIPv4, 80), ProbeOutcome.Refused),
        new("other peer → host 192.0.2.1:22 (inbound)", site.Peer, new IPEndPoint(DemoTopology.HostIPv4, 22), ProbeOutcome.NoAnswer),
        new("container → other peer 192.0.2.20:80 (routed)", site.Container, new IPEndPoint(DemoTopology.PeerIPv4, 80), ProbeOutcome.NoAnswer),
    ];

    Console.WriteLine("\n[2/6] probing before isolation (results in the table at the end)");
    TcpProbe[] before = [.. checks.Select(check => check.Probe())];

    Console.WriteLine($"\n[3/6] isolating the host with the real CLI ({cli.Description})");
    string[] policy = ["--collector", "192.0.2.10", "--collector", "2001:db8::10"];
    Step(cli, site, "isolate", policy, expectedExit: 0);
    Step(cli, site, "show", [], expectedExit: 0);
    Step(cli, site, "status", [], expectedExit: 0);

    Console.WriteLine("\n[4/6] probing while isolated");
    TcpProbe[] isolated = [.. checks.Select(check => check.Probe())];

    Console.WriteLine("\n[5/6] unisolating");
    Step(cli, site, "unisolate", [], expectedExit: 0);
    Step(cli, site, "status", [], expectedExit: 3);

    Console.WriteLine("\n[6/6] probing after unisolate\n");
    TcpProbe[] after = [.. checks.Select(check => check.Probe())];

    bool allExpected = ReachabilityTable.Print(Console.Out, checks, before, isolated, after);
    Console.WriteLine(allExpected
        ? "\nEvery probe behaved as expected: only the collector stayed reachable, the other peer got a TCP reset at once,\ninbound and routed traffic was dropped, and unisolate restored everything."
        : "\nSome probes did not behave as expected (see the table).");
    return allExpected ? 0 : 1;
}
#pragma warning disable CA1031 // Whatever failed, report it in one line and still clean up (finally): an unhandled
                         // exception would end the process without running finally blocks.
catch (Exception exception)
#pragma warning restore CA1031
{
    Console.Error.WriteLine($"aurorasoc-isolate-demo: {exception.Message}");
    return 1;
}
finally
{
    foreach (TcpService service in services)
    {
        service.Dispose();
    }

    Console.WriteLine($"\ncleaned up: deleted {registry.DeleteAll()} namespaces");
}

static void Step(CliDriver cli, DemoTopology site, string command, string[] arguments, int expectedExit)
{
    Console.WriteLine($"  $ aurorasoc-isolate {command} {string.Join(' ', arguments)}{(arguments.Length > 0 ? " " : "")}--netns {site.Host.Path}");
    CommandResult result = cli.Run(command, arguments);
    foreach (string line in (result.StandardOutput + result.StandardError).TrimEnd('\n').Split('\n'))
    {
        Console.WriteLine(line.Length == 0 ? string.Empty : "    " + line);
    }

    Console.WriteLine($"    (exit {result.ExitCode})");
    if (result.ExitCode != expectedExit)
    {
        throw new InvalidOperationException($"aurorasoc-isolate {command} exited with {result.ExitCode}, expected {expectedExit}");
    }
}
