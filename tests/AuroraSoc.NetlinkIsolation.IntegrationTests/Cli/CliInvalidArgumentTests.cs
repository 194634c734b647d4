
namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// The real binary on invalid input: exit 2, one stderr line naming the argument and the value, and the kernel never
/// reached — both the target and the namespace the CLI runs in hold a marker table that any isolate or unisolate would
/// have replaced or deleted. Every exit-2 path of the parser and the commands is tested in-process
/// (AuroraSoc.NetlinkIsolation.Tests, Cli/InvalidCommandLineTests); here, one of each kind.
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
    [InlineData("isolate|--collector|127.0.0.1|--netns|{netns}", "--collector", "127.0.0.1")]
    [InlineData("isolate|--collector|192.0.2.10|--netns|{netns}|--netns-pid|1", "--netns-pid", "--netns")]
    [InlineData("isolate|--collector|192.0.2.10|--netns|{netns}|--bogus", "--bogus", null)]
    [InlineData("unisolate|--netns|{netns}|--table|a|--table|b", "--table", null)]
    [InlineData("isolate|--collector|192.0.2.10:6514|--verify-collector|--verify-timeout|0|--netns|{netns}", "--verify-timeout", "'0'")]
    [InlineData("frobnicate", "frobnicate", null)]
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
