using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>Help, version and usage errors: no kernel access, so these run without root.</summary>
public sealed partial class CliHelpTests
{
    [Fact]
    public void Help_Root_ListsCommandsExamplesAndExitCodes()
    {
        var help = CliProcess.RunUnconfined("--help");

        Assert.Equal(0, help.ExitCode);
        foreach (var expected in new[] { "isolate", "unisolate", "status", "show", "--version", "Examples:", "Exit codes:" })
        {
            Assert.Contains(expected, help.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("isolate", new[] { "--collector", "--allow-peer", "--allow-dns", "--dns-server", "--allow-dhcp", "--mode", "--keep-forwarding", "--no-reject", "--table", "--netns", "--netns-pid", "--json" })]
    [InlineData("unisolate", new[] { "--table", "--netns", "--netns-pid", "--json" })]
    [InlineData("status", new[] { "--table", "--netns", "--netns-pid", "--json" })]
    [InlineData("show", new[] { "--table", "--netns", "--netns-pid" })]
    public void Help_Command_ListsItsOptionsAndExamplesWithoutRequiringThem(string command, string[] options)
    {
        var help = CliProcess.RunUnconfined(command, "--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Equal(string.Empty, help.StandardError);
        foreach (var option in options)
        {
            Assert.Contains(option, help.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("Examples:", help.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Version_Flag_PrintsInformationalVersion()
    {
        var version = CliProcess.RunUnconfined("--version");

        Assert.Equal(0, version.ExitCode);
        Assert.Matches(VersionPattern(), version.StandardOutput);
    }

    [Fact]
    public void Run_NoCommand_ExitsTwoWithOneLine()
    {
        var result = CliProcess.RunUnconfined();

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("command", Assert.Single(CliProcess.StandardErrorLines(result)), StringComparison.Ordinal);
        Assert.Equal(string.Empty, result.StandardOutput);
    }

    [GeneratedRegex(@"^[0-9]+\.[0-9]+\.[0-9]+\S*\n$")]
    private static partial Regex VersionPattern();
}
