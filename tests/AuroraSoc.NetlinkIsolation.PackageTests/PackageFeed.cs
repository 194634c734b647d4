using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Xml.Linq;

namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// A local NuGet feed holding this commit's packages, packed once per test run with <c>dotnet pack --no-build</c>
/// from the outputs `dotnet test` has just built (so nothing is rebuilt under the other test assemblies' feet).
/// Each run gets its own pre-release version, so a consumer restore can never pick a stale copy from the machine's
/// package cache; that version's cache entries are deleted again on dispose.
/// </summary>
public sealed class PackageFeed : IDisposable
{
    /// <summary>The packable projects, as the repository lays them out.</summary>
    public static readonly IReadOnlyList<string> PackableProjects =
    [
        "src/AuroraSoc.NetlinkIsolation/AuroraSoc.NetlinkIsolation.csproj",
        "src/AuroraSoc.NetlinkIsolation.Hosting/AuroraSoc.NetlinkIsolation.Hosting.csproj",
    ];

#if DEBUG
    internal const string Configuration = "Debug";
#else
    internal const string Configuration = "Release";
#endif

    /// <summary>Packs write the project's obj/: one at a time.</summary>
    private static readonly Lock PackGate = new();

    private readonly Lazy<string> directory;
    private readonly Lazy<IReadOnlyDictionary<string, string>> releasedVersions = new(PackAsReleased);
    private readonly ConcurrentDictionary<string, Lazy<ConsumerProject>> consumers = new(StringComparer.Ordinal);

    public PackageFeed()
    {
        Version = string.Create(
            CultureInfo.InvariantCulture,
            $"{RepositoryVersionPrefix()}-packagetest.{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}");
        directory = new Lazy<string>(Pack);
    }

    /// <summary>The version every package of this run carries.</summary>
    public string Version { get; }

    /// <summary>
    /// Each packable project's package id and the version a plain <c>dotnet pack</c> gives it (no version passed, as a
    /// release is packed): packed once, into a directory of its own that is deleted once the nuspecs are read.
    /// </summary>
    public IReadOnlyDictionary<string, string> ReleasedVersions => releasedVersions.Value;

    /// <summary>The feed directory (packs on first use).</summary>
    public string Directory => directory.Value;

    /// <summary>The path of <c>ID.VERSION.nupkg</c> (or <c>.snupkg</c>) in the feed.</summary>
    public string PackagePath(string id, string extension = ".nupkg") =>
        Path.Combine(Directory, $"{id}.{Version}{extension}");

    /// <summary>
    /// The consumer project <c>Consumers/NAME</c> restored from this feed, copied out once per run and shared by the
    /// tests that build, publish and run it; deleted when the run ends.
    /// </summary>
    public ConsumerProject Consumer(string name) =>
        consumers.GetOrAdd(name, n => new Lazy<ConsumerProject>(() => ConsumerProject.Create(n, this))).Value;

    /// <summary>The nuspec of package <paramref name="id"/>.</summary>
    public XDocument Nuspec(string id)
    {
        using var archive = ZipFile.OpenRead(PackagePath(id));
        var entry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
        using var stream = entry.Open();
        return XDocument.Load(stream);
    }

    /// <summary>The file names inside package <paramref name="id"/>.</summary>
    public IReadOnlyList<string> Entries(string id, string extension = ".nupkg")
    {
        using var archive = ZipFile.OpenRead(PackagePath(id, extension));
        return archive.Entries.Select(e => e.FullName).ToArray();
    }

    /// <summary>The bytes of one file inside package <paramref name="id"/> (or its <c>.snupkg</c>).</summary>
    public byte[] ReadEntry(string id, string entryName, string extension = ".nupkg")
    {
        using var archive = ZipFile.OpenRead(PackagePath(id, extension));
        using var stream = archive.GetEntry(entryName)?.Open()
            ?? throw new FileNotFoundException($"{entryName} is not in {id} {Version}");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }

    public void Dispose()
    {
        foreach (var consumer in consumers.Values.Where(c => c.IsValueCreated))
        {
            consumer.Value.Dispose();
        }

        if (!directory.IsValueCreated)
        {
            return;
        }

        TryDelete(directory.Value);
        var cache = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        foreach (var project in PackableProjects)
        {
            TryDelete(Path.Combine(cache, Path.GetFileNameWithoutExtension(project).ToLowerInvariant(), Version));
        }
    }

    private string Pack() => PackInto($"aurorasoc-feed-{Environment.ProcessId}-{Guid.NewGuid():N}", $"-p:PackageVersion={Version}");

    private static Dictionary<string, string> PackAsReleased()
    {
        var directory = PackInto($"aurorasoc-released-{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            var versions = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var package in System.IO.Directory.GetFiles(directory, "*.nupkg"))
            {
                using var archive = ZipFile.OpenRead(package);
                var entry = archive.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal) && !e.FullName.Contains('/', StringComparison.Ordinal));
                using var stream = entry.Open();
                var metadata = XDocument.Load(stream).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
                versions.Add(
                    metadata.Elements().Single(e => e.Name.LocalName == "id").Value,
                    metadata.Elements().Single(e => e.Name.LocalName == "version").Value);
            }

            return versions;
        }
        finally
        {
            TryDelete(directory);
        }
    }

    /// <summary>Packs every packable project, built already, into a new directory under /tmp; returns its path.</summary>
    private static string PackInto(string name, params string[] properties)
    {
        var feed = Path.Combine(Path.GetTempPath(), name);
        System.IO.Directory.CreateDirectory(feed);
        lock (PackGate)
        {
            foreach (var project in PackableProjects)
            {
                ProcessRunner.Run(
                    "dotnet",
                    ["pack", Path.Combine(RepositoryPaths.Root, project), "-c", Configuration, "--no-build", "--nologo", "-o", feed, .. properties],
                    timeout: TimeSpan.FromMinutes(5)).EnsureSuccess();
            }
        }

        return feed;
    }

    /// <summary>The one source of the version (Directory.Build.props): every assembly, package and executable takes it.</summary>
    internal static string RepositoryVersionPrefix()
    {
        var props = XDocument.Load(Path.Combine(RepositoryPaths.Root, "Directory.Build.props"));
        return props.Descendants("VersionPrefix").Single().Value.Trim();
    }

    private static void TryDelete(string path)
    {
        try
        {
            if (System.IO.Directory.Exists(path))
            {
                System.IO.Directory.Delete(path, recursive: true);
            }
        }
        catch (IOException)
        {
            // A leftover feed in /tmp or cache entry of a unique pre-release version harms nothing.
        }
    }
}
