namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// The real binary's help: no kernel access, so this runs without root. Each command's help, the version and every
/// usage error are tested in-process (AuroraSoc.NetlinkIsolation.Tests, Cli/); the version of both executables
/// against the packages' in AuroraSoc.NetlinkIsolation.PackageTests (VersionTests).
/// </summary>
public sealed class CliHelpTests
{
    [Fact]
    public void Help_Root_ListsCommandsExamplesAndExitCodes()
    {
        var help = CliProcess.RunUnconfined("--help");

        Assert.Equal(0, help.ExitCode);
        Assert.Equal(string.Empty, help.StandardError);
        foreach (var expected in new[] { "isolate", "unisolate", "status", "show", "restore", "guard", "--version", "Examples:", "Exit codes:" })
        {
            Assert.Contains(expected, help.StandardOutput, StringComparison.Ordinal);
        }
    }
}
