namespace AuroraSoc.NetlinkIsolation.Benchmarks.Infrastructure;

/// <summary>Finds files of the repository (test vectors) from wherever BenchmarkDotNet runs the benchmark process.</summary>
internal static class RepositoryFiles
{
    private const string SolutionFile = "AuroraSoc.NetlinkIsolation.sln";

    /// <summary>The absolute path of <c>tests/TestVectors/NAME</c>.</summary>
    public static string TestVector(string name)
    {
        // BenchmarkDotNet builds and runs a generated project below this project's bin/ directory, so walking up
        // from the running assembly (or the working directory) reaches the repository root.
        foreach (string start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (DirectoryInfo? dir = new(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return Path.Combine(dir.FullName, "tests", "TestVectors", name);
                }
            }
        }

        throw new FileNotFoundException($"{SolutionFile} not found above {AppContext.BaseDirectory}; run the benchmarks from the repository.");
    }

    /// <summary>Loads a <c>.hex</c> test vector as one buffer: every message, concatenated in order (# lines are comments).</summary>
    public static byte[] LoadHexMessages(string name)
    {
        using var bytes = new MemoryStream();
        foreach (string line in File.ReadLines(TestVector(name)))
        {
            string text = line.Trim();
            if (text.Length == 0 || text.StartsWith('#'))
            {
                continue;
            }

            bytes.Write(Convert.FromHexString(text));
        }

        return bytes.ToArray();
    }
}
