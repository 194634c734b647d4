using AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;
using AuroraSoc.NetlinkIsolation.Testing;
using AuroraSoc.NetlinkIsolation.Testing.Processes;

[assembly: AssemblyFixture(typeof(NativeAotCli))]

namespace AuroraSoc.NetlinkIsolation.SystemTests.Infrastructure;

/// <summary>
/// The NativeAOT <c>aurorasoc-isolate</c> that the suites put into their container image and initramfs: published
/// once per test run, on first use, into a temporary directory that is deleted after the run. The publish has its
/// own artifacts directory, so it shares no obj/ folder with a build of the solution running next to it. Setting
/// <c>AURORASOC_ISOLATE_CLI</c> to a native binary (not a .dll) tests that binary instead and skips the publish.
/// </summary>
public sealed class NativeAotCli : IDisposable
{
    public const string OverrideVariable = "AURORASOC_ISOLATE_CLI";

    private static readonly TimeSpan PublishTimeout = TimeSpan.FromMinutes(20);

    private readonly Lazy<string> binary;
    private string? publishDirectory;

    public NativeAotCli()
    {
        binary = new Lazy<string>(Locate, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The binary's absolute path; publishes it on first use (minutes).</summary>
    public string BinaryPath => binary.Value;

    public void Dispose()
    {
        if (publishDirectory is not null && Directory.Exists(publishDirectory))
        {
            Directory.Delete(publishDirectory, recursive: true);
        }
    }

    private string Locate()
    {
        if (Environment.GetEnvironmentVariable(OverrideVariable) is { Length: > 0 } overridden &&
            !overridden.EndsWith(".dll", StringComparison.Ordinal))
        {
            return File.Exists(overridden)
                ? Path.GetFullPath(overridden)
                : throw new FileNotFoundException($"{OverrideVariable} names a file that does not exist", overridden);
        }

        publishDirectory = Directory.CreateTempSubdirectory("aurorasoc-aot-cli.").FullName;
        var output = Path.Combine(publishDirectory, "bin");
        var project = Path.Combine(RepositoryPaths.Root, "src", "AuroraSoc.NetlinkIsolation.Cli");
        var outcome = GracefulProcess.Run(
            DotnetHost.Path,
            ["publish", project, "-c", "Release", "-r", "linux-x64", "-p:PublishAot=true",
             "--artifacts-path", Path.Combine(publishDirectory, "artifacts"), "-o", output],
            PublishTimeout);
        var published = Path.Combine(output, "aurorasoc-isolate");
        if (outcome.ExitCode != 0 || !File.Exists(published))
        {
            throw new InvalidOperationException(
                $"`{outcome.CommandLine}` exited {outcome.ExitCode}:\n{outcome.StandardOutput}\n{outcome.StandardError}");
        }

        return published;
    }
}
