using AuroraSoc.NetlinkIsolation.Isolation;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Logging.Console;

// aurorasoc-isolate-floor NETNS-PATH [--console-logging]
// Isolates the namespace at NETNS-PATH with the contract example, as `aurorasoc-isolate isolate --collector 192.0.2.10
// --collector [2001:db8::10]:443 --allow-peer 198.51.100.0/24 --allow-dns --allow-dhcp --netns NETNS-PATH` does.
// A namespace path is required: this program never works on its own namespace.
bool consoleLogging = args.Length == 2 && args[1] == "--console-logging";
if (args.Length != (consoleLogging ? 2 : 1) || !args[0].StartsWith('/'))
{
    Console.Error.WriteLine("usage: aurorasoc-isolate-floor NETNS-PATH [--console-logging]");
    return 2;
}

// The same factory as the CLI's CliLogging.Create(verbose: false).
using ILoggerFactory logging = consoleLogging
    ? LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Warning);
        builder.AddFilter(level => level == LogLevel.Warning);
        builder.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.AddSimpleConsole(options =>
        {
            options.SingleLine = true;
            options.IncludeScopes = false;
            options.TimestampFormat = "HH:mm:ss.ffffff ";
            options.ColorBehavior = LoggerColorBehavior.Default;
        });
    })
    : NullLoggerFactory.Instance;

var policy = new IsolationPolicy(
    collectors: [Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:443")],
    allowedPeers: [Endpoint.Parse("198.51.100.0/24")],
    dns: DnsPolicy.AnyResolver,
    allowDhcp: true);
using HostIsolator isolator = HostIsolator.Open(args[0], logging.CreateLogger<HostIsolator>());
IsolationResult result = isolator.Isolate(policy);
Console.Out.WriteLine($"isolated: table inet {result.TableName}, {result.RuleCount} rules in one transaction ({result.ElapsedMicroseconds} µs)");
return 0;
