using System.Text.Json;
using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>
/// Every way a command line is refused (exit 2) before the kernel: one stderr line that starts with the program's name
/// and names the argument (and the value, where there is one), nothing on stdout, the kernel never reached. The rows
/// follow the code that refuses: <see cref="CommandLineParser"/> (the line's shape), then each command's own checks
/// (<see cref="PolicyArguments"/>, <see cref="IsolateCommand"/>, <see cref="CommandTarget"/>,
/// <see cref="NamespaceTarget"/>, <see cref="IntentStoreOption"/>, <see cref="GuardCommand"/>). Refusals that need the
/// kernel's answer or DNS first (a name resolving to loopback) are spawn tests in the integration suite.
/// </summary>
public sealed class InvalidCommandLineTests
{
    /// <summary>Arguments separated by '|'; <c>argument</c> and <c>value</c> must appear in the stderr line.</summary>
    [Theory]
    // CommandLineParser, before the command: unknown option, unknown command, no command, --version with a command.
    [InlineData("--bogus|status", "'--bogus'", null)]
    [InlineData("-x", "'-x'", null)]
    [InlineData("frobnicate", "unknown command 'frobnicate'", null)]
    [InlineData("[diagram]|status", "unknown command '[diagram]'", null)]
    [InlineData("@more-arguments.rsp|isolate", "unknown command '@more-arguments.rsp'", null)]
    [InlineData("", "no command given", null)]
    [InlineData("-v", "no command given", null)]
    [InlineData("--version|status", "--version takes no command", null)]
    [InlineData("status|--version", "'--version'", null)]
    // CommandLineParser, after the command: an option the command does not have, a stray argument, a switch given a
    // value, a missing value, a one-value option twice, a required option missing.
    [InlineData("status|--bogus", "status has no option '--bogus'", null)]
    [InlineData("show|--state-dir|/srv/state", "show has no option '--state-dir'", null)]
    [InlineData("restore|--table|aurorasoc", "restore has no option '--table'", null)]
    [InlineData("guard|--json", "guard has no option '--json'", null)]
    [InlineData("unisolate|--ephemeral", "unisolate has no option '--ephemeral'", null)]
    [InlineData("isolate|--collector|192.0.2.10|--monitor-only", "isolate has no option '--monitor-only'", null)]
    [InlineData("status|extra", "unexpected argument 'extra'", null)]
    [InlineData("isolate|--collector|192.0.2.10|192.0.2.11", "'192.0.2.11'", "give each value its own option")]
    [InlineData("isolate|--collector|192.0.2.10|@more-arguments.rsp", "'@more-arguments.rsp'", null)]
    [InlineData("show|--verbose=yes", "--verbose takes no value", null)]
    [InlineData("status|--help=me", "--help takes no value", null)]
    [InlineData("status|--table", "--table needs a value", "NAME")]
    [InlineData("status|--table|a|--table|b", "--table is given more than once", null)]
    [InlineData("isolate", "--collector is required", null)]
    // PolicyArguments: --table, --mode, --collector, --allow-peer, --dns-server, --reason, then the policy's own rules.
    [InlineData("isolate|--collector|192.0.2.10|--table|bad name", "--table", "'bad name'")]
    [InlineData("isolate|--collector|192.0.2.10|--table|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--table", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("isolate|--collector|192.0.2.10|--mode|lax", "--mode", "'lax'")]
    [InlineData("isolate|--collector|192.0.2.300", "--collector", "'192.0.2.300'")]
    [InlineData("isolate|--collector|10", "--collector", "'10'")]
    [InlineData("isolate|--collector|", "--collector", "''")]
    [InlineData("isolate|--collector|192.0.2.0/33", "--collector", "192.0.2.0/33")]
    [InlineData("isolate|--collector|192.0.2.10:70000", "--collector", "192.0.2.10:70000")]
    [InlineData("isolate|--collector|[2001:db8::10]:https", "--collector", "[2001:db8::10]:https")]
    [InlineData("isolate|--collector|edr..example.com", "--collector", "edr..example.com")]
    [InlineData("isolate|--collector|edr_example.com:70000", "--collector", "edr_example.com:70000")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|-patch.example.com", "--allow-peer", "-patch.example.com")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|not an endpoint", "--allow-peer", "'not an endpoint'")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|resolver.example", "--dns-server", "resolver.example")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|192.0.2.0/24", "--dns-server", "192.0.2.0/24")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|192.0.2.53/32", "--dns-server", "192.0.2.53/32")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|192.0.2.53:53", "--dns-server", "192.0.2.53:53")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|[2001:db8::53]:53", "--dns-server", "[2001:db8::53]:53")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|ticket \"7\"", "--reason", "ticket")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|back\\slash", "--reason", "back\\slash")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|line\nbreak", "--reason", "'line\\u000Abreak'")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|", "--reason", "''")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "--reason", "129 bytes")]
    [InlineData("isolate|--collector|127.0.0.1", "--collector", "127.0.0.1")]
    [InlineData("isolate|--collector|::1", "--collector", "::1")]
    [InlineData("isolate|--collector|192.0.2.1/24", "--collector", "192.0.2.1/24")]
    [InlineData("isolate|--collector|0.0.0.0", "--collector", "0.0.0.0")]
    [InlineData("isolate|--collector|::ffff:192.0.2.10", "--collector", "::ffff:192.0.2.10")]
    [InlineData("isolate|--collector|255.255.255.255", "--collector", "255.255.255.255")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|224.0.0.1", "--allow-peer", "224.0.0.1")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|ff02::1", "--allow-peer", "ff02::1")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|2001:db8::1/64", "--allow-peer", "2001:db8::1/64")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|224.0.0.251", "--dns-server", "224.0.0.251")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|0.0.0.0", "--dns-server", "0.0.0.0")]
    // IsolateCommand: --verify-timeout without --verify-collector or out of (0, 3600], --verify-collector without a
    // collector to connect to.
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-timeout|5", "--verify-timeout", "--verify-collector")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|0", "--verify-timeout", "'0'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|5s", "--verify-timeout", "'5s'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|-1", "--verify-timeout", "'-1'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|3601", "--verify-timeout", "'3601'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|1e3", "--verify-timeout", "'1e3'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|NaN", "--verify-timeout", "'NaN'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|Infinity", "--verify-timeout", "'Infinity'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|", "--verify-timeout", "''")]
    [InlineData("isolate|--collector|192.0.2.10|--verify-collector", "--verify-collector", null)]
    [InlineData("isolate|--collector|192.0.2.10|--collector|192.0.2.0/24:6514|--verify-collector", "--verify-collector", null)]
    [InlineData("isolate|--collector|edr.example.com|--verify-collector", "--verify-collector", null)]
    // NamespaceTarget: both namespace options, an empty or NUL-holding path, a pid that is not a positive decimal.
    [InlineData("isolate|--collector|192.0.2.10|--netns|/run/netns/lab|--netns-pid|1", "--netns-pid", "--netns '/run/netns/lab'")]
    [InlineData("unisolate|--netns|/run/netns/lab|--netns-pid|x", "--netns-pid", "'x'")]
    [InlineData("status|--netns|", "--netns", "''")]
    [InlineData("show|--netns| ", "--netns", "' '")]
    [InlineData("status|--netns|/run/netns/a\0b", "--netns", "'/run/netns/a\\u0000b'")]
    [InlineData("status|--netns-pid|abc", "--netns-pid", "'abc'")]
    [InlineData("status|--netns-pid|0", "--netns-pid", "'0'")]
    [InlineData("status|--netns-pid|-5", "--netns-pid", "'-5'")]
    [InlineData("status|--netns-pid|+5", "--netns-pid", "'+5'")]
    [InlineData("status|--netns-pid|1.5", "--netns-pid", "'1.5'")]
    [InlineData("status|--netns-pid|2147483648", "--netns-pid", "'2147483648'")]
    [InlineData("status|--netns-pid|00000000042", "--netns-pid", "'00000000042'")]
    // CommandTarget's --table for the commands without a policy.
    [InlineData("unisolate|--table|", "--table", "''")]
    [InlineData("status|--table|a/b", "--table", "'a/b'")]
    [InlineData("show|--table|", "--table", "''")]
    // IntentStoreOption: an empty --state-dir is not "the default".
    [InlineData("isolate|--collector|192.0.2.10|--state-dir|", "--state-dir", "''")]
    [InlineData("unisolate|--state-dir| ", "--state-dir", "' '")]
    [InlineData("status|--state-dir|", "--state-dir", "''")]
    [InlineData("restore|--state-dir|", "--state-dir", "''")]
    [InlineData("guard|--state-dir|", "--state-dir", "''")]
    // GuardCommand: --verify-interval is a whole number of seconds, at least 1.
    [InlineData("guard|--verify-interval|0", "--verify-interval", "'0'")]
    [InlineData("guard|--verify-interval|-1", "--verify-interval", "'-1'")]
    [InlineData("guard|--verify-interval|1.5", "--verify-interval", "'1.5'")]
    [InlineData("guard|--verify-interval|30s", "--verify-interval", "'30s'")]
    [InlineData("guard|--verify-interval|", "--verify-interval", "''")]
    [InlineData("guard|--verify-interval|99999999999", "--verify-interval", "'99999999999'")]
    public void Run_InvalidCommandLine_ExitsTwoWithOneLineNamingTheArgument(string commandLine, string argument, string? value)
    {
        CliRun run = InProcessCli.RunLine(commandLine);

        AssertRefused(run, argument, value);
        Assert.Equal(string.Empty, run.StandardOutput);
    }

    /// <summary>Too many endpoints for one policy: the line names every option that adds to the count.</summary>
    [Fact]
    public void Run_MoreEndpointsThanThePolicyHolds_ExitsTwoNamingTheEndpointOptions()
    {
        List<string> args = ["isolate"];
        for (int i = 0; i <= IsolationPolicy.MaxEndpoints; i++)
        {
            args.AddRange(["--collector", $"10.{i / 256}.{i % 256}.1"]);
        }

        CliRun run = InProcessCli.Run([.. args]);

        AssertRefused(run, "--collector/--allow-peer/--dns-server", "1000");
    }

    public static TheoryData<string, string> CommandValueOptions() => CliTable.Rows(option => option.Values != OptionValues.None);

    public static TheoryData<string, string> CommandOneValueOptions() => CliTable.Rows(option => option.Values == OptionValues.One);

    public static TheoryData<string, string> CommandSwitches() => CliTable.Rows(option => option.Values == OptionValues.None);

    [Theory]
    [MemberData(nameof(CommandValueOptions))]
    public void Run_EachValueOptionWithoutItsValue_ExitsTwoNamingItAndTheValueExpected(string commandName, string optionName)
    {
        (CliCommand command, CliOption option) = CliTable.Find(commandName, optionName);

        CliRun run = InProcessCli.Run([commandName, .. CliTable.RequiredOptionsBesides(command, option), option.Name]);

        AssertRefused(run, $"{option.Name} needs a value ({option.ValueName})", null);
    }

    [Theory]
    [MemberData(nameof(CommandOneValueOptions))]
    public void Run_EachOneValueOptionGivenTwice_ExitsTwoNamingIt(string commandName, string optionName)
    {
        (CliCommand command, CliOption option) = CliTable.Find(commandName, optionName);

        CliRun run = InProcessCli.Run([commandName, .. CliTable.RequiredOptionsBesides(command, option), option.Name, "1", option.Name, "2"]);

        AssertRefused(run, $"{option.Name} is given more than once", null);
    }

    [Theory]
    [MemberData(nameof(CommandSwitches))]
    public void Run_EachSwitchGivenAValue_ExitsTwoNamingIt(string commandName, string optionName)
    {
        (CliCommand command, CliOption option) = CliTable.Find(commandName, optionName);

        CliRun run = InProcessCli.Run([commandName, .. CliTable.RequiredOptionsBesides(command, option), option.Name + "=yes"]);

        AssertRefused(run, $"{option.Name} takes no value", $"'{option.Name}=yes'");
    }

    [Fact]
    public void Run_SeveralMistakes_AllOnOneLine()
    {
        CliRun run = InProcessCli.Run("isolate", "--bogus", "--table");

        string line = AssertRefused(run, "isolate has no option '--bogus'", "--table needs a value (NAME)");
        Assert.Contains("--collector is required", line, StringComparison.Ordinal);
        Assert.EndsWith("(see 'aurorasoc-isolate isolate --help')", line, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_ShapeErrorWithJson_ReportsInvalidArgumentAsOneJsonObject()
    {
        CliRun run = InProcessCli.Run("status", "--json", "--frobnicate");

        AssertRefused(run, "--frobnicate", null);
        using JsonDocument json = JsonDocument.Parse(run.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.Equal("status", root.GetProperty("command").GetString());
        Assert.False(root.GetProperty("ok").GetBoolean());
        Assert.Equal("invalid-argument", root.GetProperty("error").GetProperty("kind").GetString());
        Assert.Contains("--frobnicate", root.GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("isolate|--collector|192.0.2.300|--json", "isolate", "--collector", "192.0.2.300")]
    [InlineData("unisolate|--netns-pid|0|--json", "unisolate", "--netns-pid", "0")]
    [InlineData("status|--table|a/b|--json", "status", "--table", "a/b")]
    [InlineData("show|--netns||--json", "show", "--netns", "''")]
    [InlineData("restore|--state-dir||--json", "restore", "--state-dir", "''")]
    public void Run_InvalidValueWithJson_ReportsTheArgumentAsOneJsonObject(string commandLine, string command, string argument, string value)
    {
        CliRun run = InProcessCli.RunLine(commandLine);

        AssertRefused(run, argument, value);
        using JsonDocument json = JsonDocument.Parse(run.StandardOutput);
        JsonElement root = json.RootElement;
        Assert.Equal(command, root.GetProperty("command").GetString());
        Assert.False(root.GetProperty("ok").GetBoolean());
        JsonElement error = root.GetProperty("error");
        Assert.Equal("invalid-argument", error.GetProperty("kind").GetString());
        Assert.Equal(argument, error.GetProperty("argument").GetString());
        Assert.Equal(JsonValueKind.Null, error.GetProperty("errno").ValueKind);
        Assert.Contains(value, error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    /// <summary>Exit 2, one stderr line naming the argument (and value), the kernel never reached; returns the line.</summary>
    private static string AssertRefused(CliRun run, string argument, string? value)
    {
        Assert.True(run.ExitCode == ExitCodes.InvalidArguments, $"exit {run.ExitCode}; stderr: {run.StandardError}");
        Assert.Empty(run.KernelRequests);
        Assert.Null(run.Guard);
        string line = Assert.Single(run.ErrorLines);
        Assert.StartsWith("aurorasoc-isolate: ", line, StringComparison.Ordinal);
        Assert.Contains(argument, line, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Contains(value, line, StringComparison.Ordinal);
        }

        return line;
    }
}
