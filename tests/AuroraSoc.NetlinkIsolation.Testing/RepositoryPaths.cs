namespace AuroraSoc.NetlinkIsolation.Testing;

/// <summary>Locates the repository (the folder holding AuroraSoc.NetlinkIsolation.sln) from running binaries.</summary>
public static class RepositoryPaths
{
    private const string SolutionFile = "AuroraSoc.NetlinkIsolation.sln";

    private static readonly Lazy<string> RootPath = new(() =>
    {
        // Test and demo binaries sit below the repository; BenchmarkDotNet may run a generated project elsewhere
        // below bin/, or from the working directory, so both starting points are walked up.
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        throw new DirectoryNotFoundException($"{SolutionFile} not found above {AppContext.BaseDirectory} or {Environment.CurrentDirectory}; run from the repository.");
    });

    /// <summary>The repository root.</summary>
    public static string Root => RootPath.Value;

    /// <summary><c>tests/TestVectors</c>: the captured nft vectors and listings.</summary>
    public static string TestVectors => Path.Combine(Root, "tests", "TestVectors");

    /// <summary>The absolute path of <c>tests/TestVectors/NAME</c>.</summary>
    public static string TestVector(string name) => Path.Combine(TestVectors, name);
}
