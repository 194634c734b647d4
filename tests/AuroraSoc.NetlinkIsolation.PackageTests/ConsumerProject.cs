using System.Globalization;
using System.Text.RegularExpressions;

namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// One of the consumer projects under <c>Consumers/</c>, copied to a fresh directory outside the repository (so no
/// Directory.Build.props of ours applies) with a nuget.config that adds the run's local feed to the machine's
/// configured sources — the packages come from the feed, their dependencies from the public feed as for any user.
/// </summary>
public sealed partial class ConsumerProject : IDisposable
{
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(8);

    private readonly Lock buildGate = new();
    private string? builtAssembly;

    private ConsumerProject(string directory, string projectFile, PackageFeed feed)
    {
        Directory = directory;
        ProjectFile = projectFile;
        Feed = feed;
    }

    public string Directory { get; }

    public string ProjectFile { get; }

    public PackageFeed Feed { get; }

    /// <summary>Copies <c>Consumers/NAME</c> out of the test's output directory and writes its nuget.config.</summary>
    public static ConsumerProject Create(string name, PackageFeed feed)
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Consumers", name);
        var target = Path.Combine(Path.GetTempPath(), string.Create(CultureInfo.InvariantCulture, $"aurorasoc-consumer-{name}-{Environment.ProcessId}-{Guid.NewGuid():N}"));
        System.IO.Directory.CreateDirectory(target);
        foreach (var file in System.IO.Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }

        File.WriteAllText(
            Path.Combine(target, "nuget.config"),
            $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="aurorasoc-local" value="{feed.Directory}" />
              </packageSources>
            </configuration>
            """);
        var projectFile = System.IO.Directory.GetFiles(target, "*.csproj").Single();
        return new ConsumerProject(target, projectFile, feed);
    }

    /// <summary><c>dotnet build -c Release</c> (once); returns the path of the built <c>.dll</c>.</summary>
    public string Build()
    {
        lock (buildGate)
        {
            if (builtAssembly is null)
            {
                var output = Path.Combine(Directory, "out-jit");
                Dotnet("build", ProjectFile, "-c", "Release", "-o", output).EnsureSuccess();
                builtAssembly = Path.Combine(output, Path.GetFileNameWithoutExtension(ProjectFile) + ".dll");
            }

            return builtAssembly;
        }
    }

    /// <summary>
    /// <c>dotnet publish -p:PublishAot=true</c>; returns the native executable and every IL (trim/AOT), CS or CA warning
    /// the publish printed, deduplicated.
    /// </summary>
    public (string Executable, IReadOnlyList<string> Warnings) PublishNativeAot()
    {
        var output = Path.Combine(Directory, "out-aot");
        var publish = Dotnet("publish", ProjectFile, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true", "-o", output).EnsureSuccess();
        var warnings = (publish.StandardOutput + publish.StandardError)
            .Split('\n')
            .Where(line => WarningPattern().IsMatch(line))
            .Select(line => line.Trim())
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return (Path.Combine(output, Path.GetFileNameWithoutExtension(ProjectFile)), warnings);
    }

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover consumer directory in /tmp harms nothing.
        }
    }

    [GeneratedRegex(@"warning (IL|CS|CA)\d+")]
    private static partial Regex WarningPattern();

    private ProcessResult Dotnet(params string[] arguments) =>
        ProcessRunner.Run("dotnet", [.. arguments, "--nologo", $"-p:AuroraSocPackageVersion={Feed.Version}"], timeout: BuildTimeout);
}
