using AuroraSoc.NetlinkIsolation.Cli.Core;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>
/// <c>--agent-cgroup</c>, <c>--agent-user</c>, <c>--agent-group</c> on the command line: repeatable, their mixed order
/// kept, malformed values and a ninth identity refused (exit 2) before anything is looked up or the kernel reached.
/// </summary>
public sealed class AgentArgumentsTests
{
    [Fact]
    public void Parse_MixedKinds_KeepsTheOrderGiven()
    {
        ParsedCommandLine line = CommandLineParser.Parse(CliSyntax.Commands, ["isolate", "--collector", "192.0.2.10:6514", "--agent-user", "edr", "--agent-cgroup", "system.slice/edr.service", "--agent-group", "0", "--agent-user", "998"]);

        IReadOnlyList<(string Kind, string Value)> agents = AgentArguments.Parse(line);

        Assert.Equal([("user", "edr"), ("cgroup", "system.slice/edr.service"), ("group", "0"), ("user", "998")], agents);
    }

    [Theory]
    [InlineData("isolate|--collector|192.0.2.10|--agent-cgroup|", "--agent-cgroup", "''")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-cgroup|pid:abc", "--agent-cgroup", "pid:abc")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-cgroup|pid:0", "--agent-cgroup", "pid:0")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-cgroup|system.slice/../x", "--agent-cgroup", "..")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-user|", "--agent-user", "''")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-group|", "--agent-group", "''")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-user|1|--agent-user|2|--agent-user|3|--agent-user|4|--agent-group|5|--agent-group|6|--agent-cgroup|a|--agent-cgroup|b|--agent-cgroup|c", "--agent-cgroup", "at most 8")]
    [InlineData("isolate|--collector|192.0.2.10|--agent-user", "--agent-user needs a value", null)]
    [InlineData("status|--agent-user|edr", "status has no option '--agent-user'", null)]
    public void Run_MalformedIdentity_ExitsTwoNamingItWithoutTheKernel(string commandLine, string argument, string? value)
    {
        CliRun run = InProcessCli.RunLine(commandLine);

        Assert.True(run.ExitCode == ExitCodes.InvalidArguments, $"exit {run.ExitCode}; stderr: {run.StandardError}");
        Assert.Empty(run.KernelRequests);
        string line = Assert.Single(run.ErrorLines);
        Assert.Contains(argument, line, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Contains(value, line, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_Isolate_ListsTheAgentOptions()
    {
        CliRun run = InProcessCli.RunLine("isolate|--help");

        Assert.Contains("--agent-cgroup <PATH|pid:PID>", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--agent-user <USER|UID>", run.StandardOutput, StringComparison.Ordinal);
        Assert.Contains("--agent-group <GROUP|GID>", run.StandardOutput, StringComparison.Ordinal);
    }
}
