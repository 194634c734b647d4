namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Cli;

/// <summary>
/// <c>aurorasoc-isolate guard</c> and <c>watch</c> exec the guard's executable installed next to it (the guard's start
/// runs in the container and 6.1 system suites, which install both; watch's in the live watch tests when they test a
/// publish). Here: what an operator sees when it is not there.
/// </summary>
public sealed class CliGuardExecutableTests : IDisposable
{
    private readonly DirectoryInfo _alone = Directory.CreateTempSubdirectory("aurorasoc-cli-alone-");

    public void Dispose() => _alone.Delete(recursive: true);

    [Theory]
    [InlineData("guard")]
    [InlineData("watch")]
    public void LongRunningCommand_GuardExecutableNotBesideTheCli_ExitsOneNamingItAndWhereItBelongs(string command)
    {
        // The native CLI is copied alone into an empty directory; the project build's assembly (run with dotnet) has
        // no guard executable beside it either: that one is built into its own project's output.
        IReadOnlyList<string> launch = CliProcess.Launch;
        string program = launch[^1];
        string directory = Path.GetDirectoryName(program)!;
        if (launch.Count == 1)
        {
            directory = _alone.FullName;
            File.Copy(program, Path.Combine(directory, Path.GetFileName(program)));
            program = Path.Combine(directory, Path.GetFileName(program));
        }

        Assert.False(File.Exists(Path.Combine(directory, "aurorasoc-isolate-guard")), $"a guard executable is beside {program}: this test needs one without");
        string[] start = launch.Count == 1 ? [program] : [launch[0], program];
        ProcessResult result = ProcessRunner.Run(start[0], [.. start[1..], command, "--state-dir", _alone.FullName]);

        Assert.Equal(1, result.ExitCode);
        string line = Assert.Single(CliProcess.StandardErrorLines(result));
        Assert.StartsWith($"aurorasoc-isolate: {command} could not start: cannot run ", line, StringComparison.Ordinal);
        Assert.Contains("/aurorasoc-isolate-guard: ENOENT", line, StringComparison.Ordinal);
        Assert.EndsWith("install aurorasoc-isolate-guard next to aurorasoc-isolate (both come from the same publish)", line, StringComparison.Ordinal);
    }
}
