namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// One version everywhere: <c>VersionPrefix</c> in Directory.Build.props is what both packages carry when packed as a
/// release and what both executables print for <c>--version</c> (their build metadata, the commit after '+', aside).
/// With <c>AURORASOC_ISOLATE_CLI</c> set (CI: the NativeAOT publish) the executables checked are those.
/// </summary>
public sealed class VersionTests(PackageFeed feed)
{
    public static TheoryData<string> Executables => [CliExecutables.CliName, CliExecutables.GuardName];

    [Fact]
    public void Packages_PackedAsARelease_CarryTheVersionPrefixOfDirectoryBuildProps()
    {
        var prefix = PackageFeed.RepositoryVersionPrefix();

        Assert.Equal(PackageFeed.PackableProjects.Count, feed.ReleasedVersions.Count);
        Assert.All(feed.ReleasedVersions, package => Assert.Equal(prefix, package.Value));
    }

    [Theory]
    [MemberData(nameof(Executables))]
    public void Version_Executable_IsThePackagesVersionExactly(string executable)
    {
        var printed = PrintedVersion(executable);

        var plus = printed.IndexOf('+', StringComparison.Ordinal);
        var version = plus < 0 ? printed : printed[..plus];
        Assert.Equal(feed.ReleasedVersions["AuroraSoc.NetlinkIsolation"], version);
        Assert.Equal(PackageFeed.RepositoryVersionPrefix(), version);
    }

    [Fact]
    public void Version_BothExecutables_PrintTheSameVersionAndBuildMetadata()
    {
        Assert.Equal(PrintedVersion(CliExecutables.CliName), PrintedVersion(CliExecutables.GuardName));
    }

    /// <summary>What <c>NAME --version</c> prints: one line, exit 0, nothing on stderr.</summary>
    private static string PrintedVersion(string executable)
    {
        var launcher = CliExecutables.Launcher(executable, PackageFeed.Configuration);
        var result = ProcessRunner.Run(launcher[0], [.. launcher[1..], "--version"]);

        Assert.Equal(0, result.ExitCode);
        Assert.Equal(string.Empty, result.StandardError);
        Assert.EndsWith("\n", result.StandardOutput, StringComparison.Ordinal);
        var line = result.StandardOutput[..^1];
        Assert.DoesNotContain('\n', line);
        return line;
    }
}
