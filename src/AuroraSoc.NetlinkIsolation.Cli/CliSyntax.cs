using System.CommandLine;
using System.CommandLine.Help;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>The commands and options of cli.md, exactly; options shared by several commands are one instance.</summary>
internal sealed class CliSyntax
{
    public CliSyntax()
    {
        Isolate = new Command("isolate", "Quarantine the namespace: install the isolation table (ruleset.md) in one nf_tables transaction. Idempotent; re-running with another policy swaps the table atomically.")
        {
            Collector, AllowPeer, AllowDns, DnsServer, AllowDhcp, Mode, KeepForwarding, NoReject, Table, Netns, NetnsPid, Json,
        };
        Unisolate = new Command("unisolate", "Release the namespace: delete the isolation table in one transaction. Succeeds and changes nothing when not isolated.")
        {
            Table, Netns, NetnsPid, Json,
        };
        Status = new Command("status", "Probe the kernel: isolated (exit 0), not isolated (3) or degraded (4: table present but a base chain missing or not policy drop).")
        {
            Table, Netns, NetnsPid, Json,
        };
        Show = new Command("show", "Print the installed table in nft syntax, decoded by this program (no nft binary); for a table it installed, byte-identical to 'nft list table inet NAME'.")
        {
            Table, Netns, NetnsPid,
        };

        Root = new RootCommand("Quarantine a Linux host or one network namespace with nf_tables, programmed directly over netlink. Only the collectors and allowed peers stay reachable.")
        {
            Isolate, Unisolate, Status, Show, Verbose,
        };

        // No [suggest]/[diagram] directives either: the surface is cli.md's, nothing more.
        Root.Directives.Clear();

        HelpOption help = Root.Options.OfType<HelpOption>().Single();
        help.Action = new HelpWithExamplesAction((System.CommandLine.Invocation.SynchronousCommandLineAction)help.Action!, new Dictionary<Command, string>
        {
            [Root] = HelpExamples.Root,
            [Isolate] = HelpExamples.Isolate,
            [Unisolate] = HelpExamples.Unisolate,
            [Status] = HelpExamples.Status,
            [Show] = HelpExamples.Show,
        });
    }

    public RootCommand Root { get; }

    public Command Isolate { get; }

    public Command Unisolate { get; }

    public Command Status { get; }

    public Command Show { get; }

    public Option<string[]> Collector { get; } = new("--collector")
    {
        Description = "Endpoint that stays reachable (the SOC's collector): 192.0.2.10, 192.0.2.0/24, 192.0.2.10:443, 2001:db8::10, 2001:db8::/64, [2001:db8::10]:443. A port means TCP to/from that port only. Repeat for several; at least one is required.",
        HelpName = "ENDPOINT",
        Required = true,
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> AllowPeer { get; } = new("--allow-peer")
    {
        Description = "Another endpoint that stays reachable (patch server, jump host); same syntax and rules as --collector. Repeatable.",
        HelpName = "ENDPOINT",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> AllowDns { get; } = new("--allow-dns")
    {
        Description = "Allow DNS (UDP and TCP port 53) to any resolver.",
    };

    public Option<string[]> DnsServer { get; } = new("--dns-server")
    {
        Description = "Allow DNS to this resolver only (implies DNS allowed). One address, no prefix or port. Repeatable.",
        HelpName = "ADDR",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> AllowDhcp { get; } = new("--allow-dhcp")
    {
        Description = "Allow DHCPv4 (67/68) and DHCPv6 (546/547), so the host keeps its lease.",
    };

    public Option<string> Mode { get; } = new("--mode")
    {
        Description = "keep: established and related flows survive (default). strict: only flows with collectors and allowed peers survive.",
        HelpName = "keep|strict",
    };

    public Option<bool> KeepForwarding { get; } = new("--keep-forwarding")
    {
        Description = "Do not install the forward chain: routed and container traffic keeps flowing.",
    };

    public Option<bool> NoReject { get; } = new("--no-reject")
    {
        Description = "Drop disallowed outbound TCP silently instead of answering it with a TCP reset.",
    };

    public Option<string> Table { get; } = new("--table")
    {
        Description = "Name of the nf_tables table (family inet).",
        HelpName = "NAME",
        DefaultValueFactory = _ => IsolationPolicy.DefaultTableName,
    };

    public Option<string> Netns { get; } = new("--netns")
    {
        Description = "Act on the network namespace at this path (/run/netns/NAME, /proc/PID/ns/net) instead of the one this program runs in.",
        HelpName = "PATH",
    };

    public Option<string> NetnsPid { get; } = new("--netns-pid")
    {
        Description = "Act on the network namespace of this process: shorthand for --netns /proc/PID/ns/net.",
        HelpName = "PID",
    };

    public Option<bool> Json { get; } = new("--json")
    {
        Description = "Print one JSON object on stdout instead of text.",
    };

    public Option<bool> Verbose { get; } = new("--verbose", "-v")
    {
        Description = "Log debug detail (timings, generation, policy) to stderr.",
        Recursive = true,
    };
}
