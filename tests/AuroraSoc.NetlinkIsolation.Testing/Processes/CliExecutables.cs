namespace AuroraSoc.NetlinkIsolation.Testing.Processes;

/// <summary>
/// Where the suites find the two executables built from the CLI core: the build <see cref="OverrideVariable"/> names
/// (CI sets it to the NativeAOT publish, which puts <c>aurorasoc-isolate-guard</c> beside <c>aurorasoc-isolate</c>),
/// else the projects' own builds, run with <c>dotnet</c>.
/// </summary>
public static class CliExecutables
{
    /// <summary>
    /// Set to another build of the CLI to test that instead of the project build: an <c>aurorasoc-isolate.dll</c>
    /// (run with dotnet) or a native binary such as the NativeAOT publish.
    /// </summary>
    public const string OverrideVariable = "AURORASOC_ISOLATE_CLI";

    public const string CliName = "aurorasoc-isolate";

    public const string GuardName = "aurorasoc-isolate-guard";

    /// <summary>The CLI <see cref="OverrideVariable"/> names, as an absolute path; null when it is not set.</summary>
    public static string? Override
    {
        get
        {
            if (Environment.GetEnvironmentVariable(OverrideVariable) is not { Length: > 0 } overridden)
            {
                return null;
            }

            return File.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new FileNotFoundException($"{OverrideVariable} names a file that does not exist", overridden);
        }
    }

    /// <summary>
    /// How to start <c>aurorasoc-isolate</c> (<see cref="CliName"/>) or <c>aurorasoc-isolate-guard</c>
    /// (<see cref="GuardName"/>): the native override and the guard beside it, else the assembly its project built in
    /// <paramref name="configuration"/>, run with dotnet. Fails when that file is missing.
    /// </summary>
    public static string[] Launcher(string name, string configuration)
    {
        string? overridden = Override;
        string path = (name, overridden) switch
        {
            (CliName, not null) => overridden,
            (GuardName, not null) when !overridden.EndsWith(".dll", StringComparison.Ordinal) => Path.Combine(Path.GetDirectoryName(overridden)!, GuardName),
            (CliName, _) => ProjectBuild("AuroraSoc.NetlinkIsolation.Cli", CliName, configuration),
            (GuardName, _) => ProjectBuild("AuroraSoc.NetlinkIsolation.Guard", GuardName, configuration),
            _ => throw new ArgumentException($"not an executable of the CLI core: {name}", nameof(name)),
        };
        if (!File.Exists(path))
        {
            throw new FileNotFoundException($"{name} is not at {path}: build its project (or publish the CLI, which puts both side by side)", path);
        }

        return path.EndsWith(".dll", StringComparison.Ordinal) ? [DotnetHost.Path, path] : [path];
    }

    private static string ProjectBuild(string project, string assembly, string configuration)
        => Path.Combine(RepositoryPaths.Root, "src", project, "bin", configuration, "net10.0", assembly + ".dll");
}
