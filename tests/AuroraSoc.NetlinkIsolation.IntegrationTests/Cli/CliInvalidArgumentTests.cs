
namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// Invalid input exits 2 with one stderr line naming the argument and the value, and never reaches the kernel:
/// both the target and the namespace the CLI runs in hold a marker table that any isolate or unisolate would have
/// replaced or deleted.
/// </summary>
public sealed class CliInvalidArgumentTests(RootNamespaceGuard guard) : IClassFixture<RootNamespaceGuard>, IDisposable
{
    private const string Marker = "table inet aurorasoc {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n";

    public void Dispose() => guard.AssertUnchanged();

    /// <summary>
    /// Arguments are separated by '|' (so values may contain spaces or be empty); {netns} is the target namespace.
    /// </summary>
    [Theory]
    [InlineData("isolate|--netns|{netns}", "--collector", null)]
    [InlineData("isolate|--collector|192.0.2.300|--netns|{netns}", "--collector", "192.0.2.300")]
    [InlineData("isolate|--collector|10|--netns|{netns}", "--collector", "'10'")]
    [InlineData("isolate|--collector|192.0.2.1/24|--netns|{netns}", "--collector", "192.0.2.1/24")]
    [InlineData("isolate|--collector|192.0.2.0/33|--netns|{netns}", "--collector", "192.0.2.0/33")]
    [InlineData("isolate|--collector|192.0.2.10:70000|--netns|{netns}", "--collector", "192.0.2.10:70000")]
    [InlineData("isolate|--collector|[2001:db8::10]:https|--netns|{netns}", "--collector", "[2001:db8::10]:https")]
    [InlineData("isolate|--collector|127.0.0.1|--netns|{netns}", "--collector", "127.0.0.1")]
    [InlineData("isolate|--collector||--netns|{netns}", "--collector", "''")]
    [InlineData("isolate|--collector|192.0.2.10|192.0.2.11|--netns|{netns}", "192.0.2.11", null)]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|224.0.0.1|--netns|{netns}", "--allow-peer", "224.0.0.1")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|2001:db8::1/64|--netns|{netns}", "--allow-peer", "2001:db8::1/64")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|192.0.2.0/24|--netns|{netns}", "--dns-server", "192.0.2.0/24")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|192.0.2.53/32|--netns|{netns}", "--dns-server", "192.0.2.53/32")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|192.0.2.53:53|--netns|{netns}", "--dns-server", "192.0.2.53:53")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|[2001:db8::53]:53|--netns|{netns}", "--dns-server", "[2001:db8::53]:53")]
    [InlineData("isolate|--collector|192.0.2.10|--dns-server|resolver.example|--netns|{netns}", "--dns-server", "resolver.example")]
    [InlineData("isolate|--collector|192.0.2.10|--mode|lax|--netns|{netns}", "--mode", "lax")]
    [InlineData("isolate|--collector|192.0.2.10|--table|bad name|--netns|{netns}", "--table", "bad name")]
    [InlineData("isolate|--collector|192.0.2.10|--table|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|--netns|{netns}", "--table", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")]
    [InlineData("isolate|--collector|192.0.2.10|--netns|{netns}|--netns-pid|1", "--netns-pid", "--netns")]
    [InlineData("isolate|--collector|192.0.2.10|--netns|", "--netns", "''")]
    [InlineData("isolate|--collector|192.0.2.10|--netns-pid|abc", "--netns-pid", "abc")]
    [InlineData("isolate|--collector|192.0.2.10|--netns-pid|0", "--netns-pid", "'0'")]
    [InlineData("isolate|--collector|192.0.2.10|--netns-pid|-5", "--netns-pid", "-5")]
    [InlineData("isolate|--collector|192.0.2.10|--netns|{netns}|--bogus", "--bogus", null)]
    [InlineData("unisolate|--table||--netns|{netns}", "--table", "''")]
    [InlineData("unisolate|--netns|{netns}|--netns-pid|x", "--netns-pid", "'x'")]
    [InlineData("unisolate|--netns|{netns}|--table|a|--table|b", "--table", null)]
    [InlineData("status|--table|a/b|--netns|{netns}", "--table", "a/b")]
    [InlineData("status|--netns-pid|1.5", "--netns-pid", "1.5")]
    [InlineData("isolate|--collector|edr..example.com|--netns|{netns}", "--collector", "edr..example.com")]
    [InlineData("isolate|--collector|192.0.2.10|--allow-peer|-patch.example.com|--netns|{netns}", "--allow-peer", "-patch.example.com")]
    [InlineData("isolate|--collector|edr_example.com:70000|--netns|{netns}", "--collector", "edr_example.com:70000")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|ticket \"7\"|--netns|{netns}", "--reason", "ticket")]
    [InlineData("isolate|--collector|192.0.2.10|--reason|line\nbreak|--netns|{netns}", "--reason", "'line\\u000Abreak'")]
    [InlineData("isolate|--collector|192.0.2.10|--reason||--netns|{netns}", "--reason", null)]
    [InlineData("isolate|--collector|192.0.2.10|--reason|aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa|--netns|{netns}", "--reason", "129 bytes")]
    [InlineData("isolate|--collector|192.0.2.10|--collector|192.0.2.0/24:6514|--verify-collector|--netns|{netns}", "--verify-collector", null)]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|0|--netns|{netns}", "--verify-timeout", "'0'")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|5s|--netns|{netns}", "--verify-timeout", "5s")]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-timeout|5|--netns|{netns}", "--verify-timeout", "--verify-collector")]
    [InlineData("show|--netns|{netns}|--verbose=yes", "--verbose", null)]
    [InlineData("show|--netns|{netns}|--table|", "--table", "''")]
    [InlineData("frobnicate", "frobnicate", null)]
    [InlineData("[diagram]|status|--netns|{netns}", "[diagram]", null)]
    [InlineData("isolate|--collector|192.0.2.10|@more-arguments.rsp|--netns|{netns}", "@more-arguments.rsp", null)]
    public void Run_InvalidArgument_ExitsTwoNamingItAndTouchesNothing(string commandLine, string argument, string? value)
    {
        Requirements.RequireNfTables();
        using var jail = ThrowawayNamespace.Create("cli invalid input: where the CLI runs");
        using var target = ThrowawayNamespace.Create("cli invalid input: target");
        jail.ApplyNftRuleset(Marker);
        target.ApplyNftRuleset(Marker);
        var jailBefore = jail.ListRuleset();
        var targetBefore = target.ListRuleset();
        var args = commandLine.Split('|').Select(a => a.Replace("{netns}", target.Path, StringComparison.Ordinal)).ToArray();

        var result = CliProcess.RunIn(jail, args);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}; stderr: {result.StandardError}");
        var line = Assert.Single(CliProcess.StandardErrorLines(result));
        Assert.StartsWith("aurorasoc-isolate: ", line, StringComparison.Ordinal);
        Assert.Contains(argument, line, StringComparison.Ordinal);
        if (value is not null)
        {
            Assert.Contains(value, line, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, result.StandardOutput);
        Assert.Equal(targetBefore, target.ListRuleset());
        Assert.Equal(jailBefore, jail.ListRuleset());
    }
}
