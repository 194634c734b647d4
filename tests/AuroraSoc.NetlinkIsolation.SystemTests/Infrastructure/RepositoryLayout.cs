namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>Paths inside the repository (the folder holding AuroraSoc.NetlinkIsolation.sln), found from the test binaries.</summary>
internal static class RepositoryLayout
{
    private static readonly Lazy<string> RootPath = new(() =>
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AuroraSoc.NetlinkIsolation.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AuroraSoc.NetlinkIsolation.sln not found above {AppContext.BaseDirectory}.");
    });

    public static string Root => RootPath.Value;

    /// <summary>tests/system: the suites' scripts.</summary>
    public static string SystemScripts => Path.Combine(Root, "tests", "system");

    public static string CliProject => Path.Combine(Root, "src", "AuroraSoc.NetlinkIsolation.Cli");
}
