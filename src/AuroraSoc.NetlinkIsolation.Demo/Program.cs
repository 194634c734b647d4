using System.Net;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Demo;
using AuroraSoc.NetlinkIsolation.Testing.Namespaces;
using AuroraSoc.NetlinkIsolation.Testing.Processes;
using AuroraSoc.NetlinkIsolation.Testing.Wire;

// The demo: a host, its LAN (the collector and another peer) and a container routed behind the host, all in
// throwaway network namespaces (the tests' Topology); the real CLI isolates the host; TCP probes show what changed; everything is deleted again.
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

const string NamespacePrefix = "aurorasoc-demo-";
void CleanUpAndExit(int exitCode, string why)
{
    Console.Error.WriteLine($"\n{why}: cleaning up");
    Console.Error.WriteLine($"deleted {ThrowawayNamespace.DisposeAllOwned().Count} namespaces");
    Environment.Exit(exitCode);
}

Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    CleanUpAndExit(130, "interrupted");
};
// SIGTERM and SIGHUP end the demo the same way (the runtime's default SIGTERM handling does not reliably run child
// processes such as `ip netns del` during shutdown). ThrowawayNamespace's own process-exit hook is the backstop for
// any other exit; a demo killed outright is swept by the next run.
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
var services = new List<NamespaceTcpListener>();
try
{
    Console.WriteLine("AuroraSoc NetlinkIsolation demo: everything happens in throwaway network namespaces;");
    Console.WriteLine("this machine's own firewall and interfaces are never touched.\n");
    foreach (string stale in ThrowawayNamespace.SweepStale(NamespacePrefix))
    {
        Console.WriteLine($"removed {stale}, left behind by an earlier demo that was killed");
    }

    Console.WriteLine("[1/6] building the site");
    Topology site = Topology.Create(NamespacePrefix);
    Console.WriteLine($"  host       {site.Host.Name,-32} {site.HostIPv4}, {site.HostIPv6} on the LAN; {site.HostContainerSideIPv4} towards its container");
    Console.WriteLine($"  LAN        {site.Lan.Name,-32} the collector {site.CollectorIPv4}, {site.CollectorIPv6} (TCP 6514) and another machine {site.PeerIPv4} (TCP 80)");
    Console.WriteLine($"  container  {site.Container.Name,-32} {site.ContainerIPv4}, routed behind the host");

    CliDriver cli = CliDriver.Locate(cliPath, site.Host);
    services.Add(NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv4, 6514));
    services.Add(NamespaceSockets.StartTcpListener(site.Lan, site.CollectorIPv6, 6514));
    services.Add(NamespaceSockets.StartTcpListener(site.Lan, site.PeerIPv4, 80));
    services.Add(NamespaceSockets.StartTcpListener(site.Host, IPAddress.Any, 22));

    ReachabilityCheck[] checks =
    [
        new("host → collector 192.0.2.10:6514", site.Host, null, new IPEndPoint(site.CollectorIPv4, 6514), TcpConnectOutcome.Connected),
        new("host → collector [2001:db8::10]:6514", site.Host, null, new IPEndPoint(site.CollectorIPv6, 6514), TcpConnectOutcome.Connected),
        new("collector → host 192.0.2.1:22 (inbound)", site.Lan, site.CollectorIPv4, new IPEndPoint(site.HostIPv4, 22), TcpConnectOutcome.Connected),
        new("host → other peer 192.0.2.20:80", site.Host, null, new IPEndPoint(site.PeerIPv4, 80), TcpConnectOutcome.Refused),
        new("other peer → host 192.0.2.1:22 (inbound)", site.Lan, site.PeerIPv4, new IPEndPoint(site.HostIPv4, 22), TcpConnectOutcome.TimedOut),
        new("container → other peer 192.0.2.20:80 (routed)", site.Container, null, new IPEndPoint(site.PeerIPv4, 80), TcpConnectOutcome.TimedOut),
    ];

    Console.WriteLine("\n[2/6] probing before isolation (results in the table at the end)");
    TcpConnectResult[] before = [.. checks.Select(check => check.Probe())];

    Console.WriteLine($"\n[3/6] isolating the host with the real CLI ({cli.Description})");
    string[] policy = ["--collector", "192.0.2.10", "--collector", "2001:db8::10"];
    Step(cli, site, "isolate", policy, expectedExit: 0);
    Step(cli, site, "show", [], expectedExit: 0);
    Step(cli, site, "status", [], expectedExit: 0);

    Console.WriteLine("\n[4/6] probing while isolated");
    TcpConnectResult[] isolated = [.. checks.Select(check => check.Probe())];

    Console.WriteLine("\n[5/6] unisolating");
    Step(cli, site, "unisolate", [], expectedExit: 0);
    Step(cli, site, "status", [], expectedExit: 3);

    Console.WriteLine("\n[6/6] probing after unisolate\n");
    TcpConnectResult[] after = [.. checks.Select(check => check.Probe())];

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
    foreach (NamespaceTcpListener service in services)
    {
        service.Dispose();
    }

    Console.WriteLine($"\ncleaned up: deleted {ThrowawayNamespace.DisposeAllOwned().Count} namespaces");
}

static void Step(CliDriver cli, Topology site, string command, string[] arguments, int expectedExit)
{
    Console.WriteLine($"  $ aurorasoc-isolate {command} {string.Join(' ', arguments)}{(arguments.Length > 0 ? " " : "")}--netns {site.Host.Path}");
    ProcessResult result = cli.Run(command, arguments);
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
