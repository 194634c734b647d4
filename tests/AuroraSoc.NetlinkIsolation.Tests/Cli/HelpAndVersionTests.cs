using AuroraSoc.NetlinkIsolation.Cli.Core;

namespace AuroraSoc.NetlinkIsolation.Tests.Cli;

/// <summary>Help and the version, in-process: exit 0, on stdout, nothing on stderr, the kernel never reached.</summary>
public sealed class HelpAndVersionTests
{
    public static TheoryData<string> CommandNames() => [.. CliSyntax.Commands.Select(c => c.Name)];

    [Fact]
    public void Run_RootHelp_ListsEveryCommandTheSharedOptionsExamplesAndExitCodes()
    {
        CliRun run = InProcessCli.Run("--help");

        AssertPrinted(run);
        foreach (CliCommand command in CliSyntax.Commands)
        {
            Assert.Contains($"\n  {command.Name}  ", run.StandardOutput, StringComparison.Ordinal);
        }

        foreach (string expected in new[] { "--verbose", "--help", "--version", "Examples:", "Exit codes:" })
        {
            Assert.Contains(expected, run.StandardOutput, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(CommandNames))]
    public void Run_CommandHelp_ListsEachOfItsOptionsWithItsValueNameWithoutRequiringAny(string commandName)
    {
        CliCommand command = CliSyntax.Commands.Single(c => c.Name == commandName);

        CliRun run = InProcessCli.Run(commandName, "--help");

        AssertPrinted(run);
        Assert.Contains($"aurorasoc-isolate {commandName} [options]", run.StandardOutput, StringComparison.Ordinal);
        foreach (CliOption option in command.Options)
        {
            Assert.Contains(option.ValueName is null ? option.Name : $"{option.Name} <{option.ValueName}>", run.StandardOutput, StringComparison.Ordinal);
        }

        Assert.Contains("Exit codes:", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_HelpWithOtherwiseInvalidLine_StillPrintsHelp()
    {
        CliRun run = InProcessCli.Run("isolate", "--bogus", "--help");

        AssertPrinted(run);
        Assert.Contains("--collector <ENDPOINT> (REQUIRED)", run.StandardOutput, StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Version_PrintsTheBuildsVersionAlone()
    {
        CliRun run = InProcessCli.Run("--version");

        AssertPrinted(run);
        Assert.Equal(CliVersion.Informational + Environment.NewLine, run.StandardOutput);
    }

    private static void AssertPrinted(CliRun run)
    {
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal(string.Empty, run.StandardError);
        Assert.Empty(run.KernelRequests);
        Assert.Null(run.Guard);
    }
}
