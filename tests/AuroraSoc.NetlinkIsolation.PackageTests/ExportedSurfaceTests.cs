using System.Collections.Immutable;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;

namespace AuroraSoc.NetlinkIsolation.PackageTests;

/// <summary>
/// The packaged assemblies export the product — isolation types, the decoded read model, the hosting integration —
/// and no engine: no type outside the product's namespaces (Netlink, Interop, SockDiag, ...) and no connection, socket
/// or batch is visible to a consumer. Read from the .nupkg files themselves with System.Reflection.Metadata, so what is
/// checked is exactly what a sensor team receives.
/// </summary>
public sealed class ExportedSurfaceTests(PackageFeed feed)
{
    /// <summary>The product's namespaces; the engine (Netlink, Interop, SockDiag, the connections) lives elsewhere.</summary>
    private static readonly string[] ProductNamespaces =
    [
        "AuroraSoc.NetlinkIsolation.Isolation",
        "AuroraSoc.NetlinkIsolation.Intent",
        "AuroraSoc.NetlinkIsolation.Durable",
        "AuroraSoc.NetlinkIsolation.Guard",
        "AuroraSoc.NetlinkIsolation.NfTables",
        "AuroraSoc.NetlinkIsolation.NfTables.Expressions",
        "AuroraSoc.NetlinkIsolation.Hosting",
    ];

    [Fact]
    public void ExportedTypes_OfPackagedAssemblies_ContainNoEngineType()
    {
        var exported = PackagedAssemblies().SelectMany(ExportedTypeNames).ToArray();

        Assert.NotEmpty(exported);
        var engine = exported.Where(IsEngineType).Order(StringComparer.Ordinal).ToArray();
        Assert.True(engine.Length == 0, "engine types are exported by the packages:\n" + string.Join('\n', engine));
    }

    [Fact]
    public void ExportedTypes_OfHostingPackage_AreOnlyTheRegistration()
    {
        var exported = feed.Entries("AuroraSoc.NetlinkIsolation.Hosting")
            .Where(e => e.StartsWith("lib/", StringComparison.Ordinal) && e.EndsWith(".dll", StringComparison.Ordinal))
            .SelectMany(e => ExportedTypeNames(feed.ReadEntry("AuroraSoc.NetlinkIsolation.Hosting", e)));

        Assert.Equal(["AuroraSoc.NetlinkIsolation.Hosting.IsolationGuardServiceCollectionExtensions"], exported);
    }

    private static bool IsEngineType(string fullName)
    {
        var outer = fullName.Split('+')[0];
        var ns = outer[..Math.Max(0, outer.LastIndexOf('.'))];
        return !ProductNamespaces.Contains(ns, StringComparer.Ordinal)
            || outer.EndsWith("Connection", StringComparison.Ordinal)
            || outer.EndsWith("Socket", StringComparison.Ordinal)
            || outer.EndsWith("Batch", StringComparison.Ordinal);
    }

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
