using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// The packaged assemblies export the product — isolation types, the decoded read model, the hosting integration —
/// and no engine: nothing from the Netlink or Interop namespaces is visible to a consumer. Read from the .nupkg
/// files themselves with System.Reflection.Metadata, so what is checked is exactly what a sensor team receives.
/// </summary>
public sealed class ExportedSurfaceTests(PackageFeed feed)
{
    private const int MaxExportedTypes = 40;

    [Fact]
    public void ExportedTypes_OfPackagedAssemblies_ContainNoEngineType()
    {
        var exported = PackagedAssemblies().SelectMany(ExportedTypeNames).ToArray();

        Assert.NotEmpty(exported);
        Assert.DoesNotContain(exported, IsEngineType);
    }

    [Fact]
    public void ExportedTypes_OfLibraryPackage_AreAtMostForty()
    {
        var exported = feed.Entries("AuroraSoc.NetlinkIsolation")
            .Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal))
            .SelectMany(e => ExportedTypeNames(feed.ReadEntry("AuroraSoc.NetlinkIsolation", e)))
            .ToArray();

        Assert.True(
            exported.Length <= MaxExportedTypes,
            $"{exported.Length} exported types (at most {MaxExportedTypes}):\n{string.Join('\n', exported.Order(StringComparer.Ordinal))}");
    }

    [Fact]
    public void InteropAssembly_InLibraryPackage_ExportsNothing()
    {
        var interop = feed.ReadEntry("AuroraSoc.NetlinkIsolation", "lib/net10.0/AuroraSoc.NetlinkIsolation.Interop.dll");

        Assert.Empty(ExportedTypeNames(interop));
    }

    private static bool IsEngineType(string fullName) =>
        fullName.Contains(".Netlink.", StringComparison.Ordinal)
        || fullName.Contains(".Interop.", StringComparison.Ordinal)
        || fullName.EndsWith("Connection", StringComparison.Ordinal)
        || fullName.EndsWith("Socket", StringComparison.Ordinal);

    private IEnumerable<byte[]> PackagedAssemblies() =>
        PackageFeed.PackableProjects
            .Select(p => Path.GetFileNameWithoutExtension(p))
            .SelectMany(id => feed.Entries(id)
                .Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal))
                .Select(e => feed.ReadEntry(id, e)));

    /// <summary>Full names of the types a consumer can name: public top-level types and public types nested in
    /// them.</summary>
    private static IReadOnlyList<string> ExportedTypeNames(byte[] assembly)
    {
        using var pe = new PEReader(ImmutableArray.Create(assembly));
        var reader = pe.GetMetadataReader();
        var names = new List<string>();
        foreach (var handle in reader.TypeDefinitions)
        {
            var type = reader.GetTypeDefinition(handle);
            if (IsVisible(reader, type))
            {
                names.Add(FullName(reader, type));
            }
        }

        return names;
    }

    private static bool IsVisible(MetadataReader reader, TypeDefinition type)
    {
        var visibility = type.Attributes & TypeAttributes.VisibilityMask;
        if (visibility == TypeAttributes.Public)
        {
            return true;
        }

        return visibility == TypeAttributes.NestedPublic
            && IsVisible(reader, reader.GetTypeDefinition(type.GetDeclaringType()));
    }

    private static string FullName(MetadataReader reader, TypeDefinition type)
    {
        var name = reader.GetString(type.Name);
        if (type.IsNested)
        {
            return FullName(reader, reader.GetTypeDefinition(type.GetDeclaringType())) + "+" + name;
        }

        var ns = reader.GetString(type.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }
}
