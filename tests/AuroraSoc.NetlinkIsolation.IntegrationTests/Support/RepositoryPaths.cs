namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Support;

/// <summary>Locates the repository (the folder holding AuroraSoc.NetlinkIsolation.sln) from the test binaries.</summary>
internal static class RepositoryPaths
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

    public static string TestVectors => Path.Combine(Root, "tests", "TestVectors");
}
