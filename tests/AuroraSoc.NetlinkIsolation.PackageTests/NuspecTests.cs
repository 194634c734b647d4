using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Text;
using System.Xml.Linq;

namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>The package metadata a feed and a sensor team's tooling rely on, read from the packed nuspec.</summary>
public sealed class NuspecTests(PackageFeed feed)
{
    public static TheoryData<string> PackageIds => ["AuroraSoc.NetlinkIsolation", "AuroraSoc.NetlinkIsolation.Hosting"];

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void Nuspec_Packed_CarriesIdVersionLicenseReadmeAndRepository(string id)
    {
        var metadata = Metadata(feed.Nuspec(id));

        Assert.Equal(id, Value(metadata, "id"));
        Assert.Equal(feed.Version, Value(metadata, "version"));
        Assert.Equal("AuroraSoc", Value(metadata, "authors"));
        Assert.False(string.IsNullOrWhiteSpace(Value(metadata, "description")));
        Assert.Contains("nftables", Value(metadata, "tags"), StringComparison.Ordinal);

        var license = Element(metadata, "license");
        Assert.Equal("expression", license.Attribute("type")?.Value);
        Assert.Equal("MIT", license.Value);

        Assert.Equal("README.md", Value(metadata, "readme"));
        Assert.Contains("README.md", feed.Entries(id));

        var repository = Element(metadata, "repository");
        Assert.Equal("git", repository.Attribute("type")?.Value);
        Assert.StartsWith("https://", repository.Attribute("url")?.Value, StringComparison.Ordinal);
        Assert.Matches("^[0-9a-f]{40}$", repository.Attribute("commit")?.Value ?? "");
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void SymbolPackage_Packed_HoldsPortablePdbs(string id)
    {
        var pdbs = feed.Entries(id, ".snupkg").Where(e => e.EndsWith(".pdb", StringComparison.Ordinal)).ToArray();

        Assert.Contains($"lib/net10.0/{id}.pdb", pdbs);
    }

    [Theory]
    [MemberData(nameof(PackageIds))]
    public void SymbolPackage_Pdb_SourceLinksToRepositoryAtNuspecCommit(string id)
    {
        var repository = Element(Metadata(feed.Nuspec(id)), "repository");
        var url = repository.Attribute("url")!.Value;
        var commit = repository.Attribute("commit")!.Value;
        var pdb = feed.ReadEntry(id, $"lib/net10.0/{id}.pdb", ".snupkg");

        var sourceLink = SourceLinkJson(pdb);

        var rawBase = url.Replace("https://github.com/", "https://raw.githubusercontent.com/", StringComparison.Ordinal);
        Assert.Contains($"{rawBase}/{commit}/*", sourceLink, StringComparison.Ordinal);
    }

    [Fact]
    public void SymbolPackage_OfLibrary_HoldsInteropPdbBesideLibraryPdb()
    {
        var entries = feed.Entries("AuroraSoc.NetlinkIsolation", ".snupkg");

        Assert.Contains("lib/net10.0/AuroraSoc.NetlinkIsolation.Interop.pdb", entries);
    }

    [Fact]
    public void LibraryPackage_Packed_ShipsInteropInsideAndDependsOnlyOnLoggingAbstractionsAndTmdsLibC()
    {
        const string id = "AuroraSoc.NetlinkIsolation";
        var entries = feed.Entries(id);

        Assert.Contains("lib/net10.0/AuroraSoc.NetlinkIsolation.dll", entries);
        Assert.Contains("lib/net10.0/AuroraSoc.NetlinkIsolation.xml", entries);
        Assert.Contains("lib/net10.0/AuroraSoc.NetlinkIsolation.Interop.dll", entries);
        Assert.Equal(
            ["Microsoft.Extensions.Logging.Abstractions", "Tmds.LibC"],
            DependencyIds(feed.Nuspec(id)));
    }

    [Fact]
    public void HostingPackage_Packed_DependsOnLibraryAndAbstractionsOnly()
    {
        var dependencies = DependencyIds(feed.Nuspec("AuroraSoc.NetlinkIsolation.Hosting"));

        Assert.Contains("AuroraSoc.NetlinkIsolation", dependencies);
        Assert.All(
            dependencies.Where(d => d != "AuroraSoc.NetlinkIsolation"),
            d => Assert.Matches(@"^Microsoft\.Extensions\.[A-Za-z.]*Abstractions$|^Microsoft\.Extensions\.Options$", d));
    }

    /// <summary>The SourceLink JSON a portable PDB carries (custom debug information on the module, Portable PDB
    /// spec: SourceLink, kind CC110556-A091-4D38-9FEC-25AB9A351A6A); fails when it has none.</summary>
    private static string SourceLinkJson(byte[] pdb)
    {
        var sourceLinkKind = new Guid("CC110556-A091-4D38-9FEC-25AB9A351A6A");
        using var provider = MetadataReaderProvider.FromPortablePdbImage(ImmutableArray.Create(pdb));
        var reader = provider.GetMetadataReader();
        foreach (var handle in reader.GetCustomDebugInformation(EntityHandle.ModuleDefinition))
        {
            var information = reader.GetCustomDebugInformation(handle);
            if (reader.GetGuid(information.Kind) == sourceLinkKind)
            {
                return Encoding.UTF8.GetString(reader.GetBlobBytes(information.Value));
            }
        }

        throw new Xunit.Sdk.XunitException("the PDB has no SourceLink information");
    }

    private static XElement Metadata(XDocument nuspec) =>
        nuspec.Root!.Elements().Single(e => e.Name.LocalName == "metadata");

    private static XElement Element(XElement metadata, string name) =>
        metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)
        ?? throw new Xunit.Sdk.XunitException($"the nuspec has no <{name}>");

    private static string Value(XElement metadata, string name) => Element(metadata, name).Value;

    private static string[] DependencyIds(XDocument nuspec) =>
        nuspec.Descendants()
            .Where(e => e.Name.LocalName == "dependency")
            .Select(e => e.Attribute("id")!.Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray();
}
