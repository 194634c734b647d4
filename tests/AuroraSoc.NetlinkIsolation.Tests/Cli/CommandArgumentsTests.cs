using System.Net;
using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Intent;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>
/// What each command makes of its options once they are read: the policy and isolate options, the target (table,
/// namespace, state directory), restore's state directory and guard's settings. In-process, never reaching the kernel.
/// </summary>
public sealed class CommandArgumentsTests
{
    private static readonly Dictionary<string, IReadOnlyList<string>> NoNames = [];

    [Fact]
    public void Isolate_EveryOption_BuildsThePolicyTargetAndOptionsGiven()
    {
        ParsedCommandLine line = Parse(
            "isolate", "--collector", "192.0.2.10", "--collector", "[2001:db8::10]:6514", "--allow-peer", "198.51.100.0/24",
            "--dns-server", "192.0.2.53", "--allow-dhcp", "--mode", "strict", "--keep-forwarding", "--no-reject",
            "--reason", "INC-4711 soc@example.com", "--verify-collector", "--verify-timeout", "2.5", "--table", "quarantine",
            "--netns", "/run/netns/lab", "--state-dir", "/srv/state", "--json");

        PolicyArguments arguments = PolicyArguments.Parse(line);
        IsolationPolicy policy = arguments.ToPolicy(NoNames);
        IsolateOptions options = IsolateCommand.ParseOptions(line, arguments);
        CommandTarget target = CommandTarget.From(line);

        Assert.Equal([Endpoint.Parse("192.0.2.10"), Endpoint.Parse("[2001:db8::10]:6514")], policy.Collectors);
        Assert.Equal([Endpoint.Parse("198.51.100.0/24")], policy.AllowedPeers);
        Assert.Equal(DnsPolicy.ListedResolvers, policy.Dns);
        Assert.Equal([IPAddress.Parse("192.0.2.53")], policy.DnsResolvers);
        Assert.True(policy.AllowDhcp);
        Assert.Equal(IsolationMode.Strict, policy.Mode);
        Assert.False(policy.BlockForwarding);
        Assert.False(policy.RejectTcp);
        Assert.Equal("quarantine", policy.TableName);
        Assert.Equal("INC-4711 soc@example.com", policy.Reason);
        Assert.True(options.VerifyCollectors);
        Assert.Equal(TimeSpan.FromSeconds(2.5), options.VerifyTimeout);
        Assert.Equal("quarantine", target.Table);
        Assert.Equal("/run/netns/lab", target.Netns);
        Assert.Equal("/srv/state", target.Store?.Directory);
        Assert.True(line.WantsJson);
    }

    [Fact]
    public void Isolate_CollectorOnly_HasTheDocumentedDefaults()
    {
        ParsedCommandLine line = Parse("isolate", "--collector", "192.0.2.10");

        PolicyArguments arguments = PolicyArguments.Parse(line);
        IsolationPolicy policy = arguments.ToPolicy(NoNames);
        IsolateOptions options = IsolateCommand.ParseOptions(line, arguments);
        CommandTarget target = CommandTarget.From(line);

        Assert.Equal(DnsPolicy.Off, policy.Dns);
        Assert.Empty(policy.DnsResolvers);
        Assert.Empty(policy.AllowedPeers);
        Assert.False(policy.AllowDhcp);
        Assert.Equal(IsolationMode.Keep, policy.Mode);
        Assert.True(policy.BlockForwarding);
        Assert.True(policy.RejectTcp);
        Assert.Equal(IsolationPolicy.DefaultTableName, policy.TableName);
        Assert.Null(policy.Reason);
        Assert.False(options.VerifyCollectors);
        Assert.Equal(TimeSpan.FromSeconds(5), options.VerifyTimeout);
        Assert.Null(target.Netns);
        Assert.Equal(Path.GetFullPath(IntentStore.DefaultDirectory), target.Store?.Directory);
        Assert.False(line.WantsJson);
    }

    [Theory]
    [InlineData("--allow-dns", DnsPolicy.AnyResolver, 0)]
    [InlineData("--dns-server|192.0.2.53", DnsPolicy.ListedResolvers, 1)]
    [InlineData("--dns-server|192.0.2.53|--dns-server|2001:db8::53", DnsPolicy.ListedResolvers, 2)]
    [InlineData("--allow-dns|--dns-server|192.0.2.53", DnsPolicy.ListedResolvers, 1)]
    public void Isolate_DnsOptions_GiveTheDnsPolicy(string dnsOptions, DnsPolicy expected, int resolvers)
    {
        IsolationPolicy policy = PolicyArguments.Parse(Parse(["isolate", "--collector", "192.0.2.10", .. dnsOptions.Split('|')])).ToPolicy(NoNames);

        Assert.Equal(expected, policy.Dns);
        Assert.Equal(resolvers, policy.DnsResolvers.Count);
    }

    [Fact]
    public void Isolate_HostNames_KeptAsTypedForResolutionAndExpandedToTheirAddresses()
    {
        ParsedCommandLine line = Parse("isolate", "--collector", "edr.example.com:6514", "--allow-peer", "patch.example.com", "--verify-collector");

        PolicyArguments arguments = PolicyArguments.Parse(line);
        IsolationPolicy policy = arguments.ToPolicy(new Dictionary<string, IReadOnlyList<string>>
        {
            ["edr.example.com"] = ["192.0.2.10", "2001:db8::10"],
            ["patch.example.com"] = ["198.51.100.7"],
        });

        Assert.Equal(["edr.example.com", "patch.example.com"], arguments.Endpoints.Select(e => e.HostName));
        Assert.Equal(6514, arguments.Collectors[0].Port);
        Assert.Equal([Endpoint.Parse("192.0.2.10:6514"), Endpoint.Parse("[2001:db8::10]:6514")], policy.Collectors);
        Assert.Equal([Endpoint.Parse("198.51.100.7")], policy.AllowedPeers);
        Assert.True(IsolateCommand.ParseOptions(line, arguments).VerifyCollectors);
    }

    [Theory]
    [InlineData("--netns|/run/netns/web1", "/run/netns/web1")]
    [InlineData("--netns|/proc/4242/ns/net", "/proc/4242/ns/net")]
    [InlineData("--netns-pid|4242", "/proc/4242/ns/net")]
    [InlineData("--netns-pid|2147483647", "/proc/2147483647/ns/net")]
    [InlineData("--table|aurorasoc", null)]
    public void Target_NamespaceOptions_GiveTheNamespacePath(string options, string? netns)
    {
        foreach (string command in new[] { "unisolate", "status", "show" })
        {
            CommandTarget target = CommandTarget.From(Parse([command, .. options.Split('|')]));

            Assert.Equal(netns, target.Netns);
        }
    }

    [Theory]
    [InlineData("unisolate")]
    [InlineData("status")]
    [InlineData("show")]
    public void Target_Table_IsTheTableNamed(string command)
    {
        Assert.Equal("quarantine", CommandTarget.From(Parse(command, "--table", "quarantine")).Table);
        Assert.Equal(IsolationPolicy.DefaultTableName, CommandTarget.From(Parse(command)).Table);
    }

    [Fact]
    public void Target_StateDirOrEphemeral_IsTheStoreOrNone()
    {
        Assert.Equal("/srv/state", CommandTarget.From(Parse("unisolate", "--state-dir", "/srv/state")).Store?.Directory);
        Assert.Equal("/srv/state", CommandTarget.From(Parse("status", "--state-dir", "/srv/state")).Store?.Directory);
        Assert.Null(CommandTarget.From(Parse("isolate", "--collector", "192.0.2.10", "--ephemeral")).Store);
        Assert.Null(CommandTarget.From(Parse("show")).Store);
    }

    [Fact]
    public void Run_TargetWithValidOptions_OpensTheIsolatorOnTheNamespaceNamed()
    {
        CliRun run = InProcessCli.Run("status", "--netns-pid", "4242", "--state-dir", "/srv/state");

        Assert.Equal(["open isolator in /proc/4242/ns/net"], run.KernelRequests);
    }

    [Fact]
    public void Run_RestoreWithStateDir_RestoresThatDirectory()
    {
        CliRun run = InProcessCli.Run("restore", "--state-dir", "/srv/state", "--json");

        Assert.Equal(["restore /srv/state"], run.KernelRequests);
    }

    [Fact]
    public void Run_GuardWithEveryOption_GivesTheRunnerTheirValues()
    {
        CliRun run = InProcessCli.Run("-v", "guard", "--state-dir", "/srv/state", "--monitor-only", "--verify-interval", "7");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal(("/srv/state", true, TimeSpan.FromSeconds(7), true), Values(run.Guard));
        Assert.Empty(run.KernelRequests);
    }

    [Fact]
    public void Run_GuardWithoutOptions_LeavesTheGuardsDefaults()
    {
        CliRun run = InProcessCli.Run("guard");

        Assert.Equal(0, run.ExitCode);
        Assert.Equal((null, false, null, false), Values(run.Guard));
    }

    private static (string? StateDirectory, bool MonitorOnly, TimeSpan? VerifyInterval, bool Verbose) Values(GuardArguments? arguments)
    {
        Assert.NotNull(arguments);
        return (arguments.StateDirectory, arguments.MonitorOnly, arguments.VerifyInterval, arguments.Verbose);
    }

    private static ParsedCommandLine Parse(params string[] args)
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, args);
        Assert.Empty(line.Errors);
        return line;
    }
}
