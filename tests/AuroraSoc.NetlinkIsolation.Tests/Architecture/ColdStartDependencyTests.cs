using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using AuroraSoc.NetlinkIsolation.Cli.Core;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>
/// The assemblies compiled into the NativeAOT executables use no type of the framework assemblies that once grew the
/// image (and so every cold start: docs/benchmarks.md, "Cold start"): System.Diagnostics.Process (its pipe streams are
/// sockets), System.IO.Pipes, System.Net.Sockets and the telemetry they carry, System.Diagnostics.DiagnosticSource.
/// Their jobs go through native-interop instead (docs/adr/0004-sockets-through-native-interop.md). Enums are exempt:
/// compiled code holds their values as numbers, so <c>ProtocolType.Tcp</c> (System.Net.Sockets) brings nothing of its
/// assembly into the image.
/// </summary>
public class ColdStartDependencyTests
{
    private static readonly string[] Excluded =
    [
        "System.Diagnostics.Process", "System.IO.Pipes", "System.Net.Sockets", "System.Diagnostics.DiagnosticSource",
    ];

    /// <summary>The library, native-interop and the CLI core that both executables share.</summary>
    public static TheoryData<string> ImageAssemblyNames()
    {
        var names = new TheoryData<string>();
        foreach (Assembly assembly in ImageAssemblies())
        {
            names.Add(assembly.GetName().Name!);
        }

        return names;
    }

    [Theory]
    [MemberData(nameof(ImageAssemblyNames))]
    public void ImageAssembly_TypesItNames_NoneLivesInAnExcludedAssembly(string assemblyName)
    {
        Assembly assembly = ImageAssemblies().Single(candidate => candidate.GetName().Name == assemblyName);

        string[] offending = [.. ReferencedTypes(assembly)
            .Where(reference => Excluded.Contains(reference.Scope, StringComparer.Ordinal))
            .Where(reference => !Resolve(reference).IsEnum)
            .Select(reference => reference.FullName)
            .Order(StringComparer.Ordinal)];

        Assert.True(offending.Length == 0,
            $"{assemblyName} uses {string.Join(", ", offending)}: each brings its assembly back into the NativeAOT image and slows every start; " +
            "go through native-interop instead (docs/adr/0004-sockets-through-native-interop.md)");
    }

    [Fact]
    public void ReferencedTypes_LibraryProtocolType_AnEnumOfSystemNetSockets()
    {
        // The exemption the test above makes, and proof that it reads the type references at all.
        (string FullName, string Scope) protocolType = Assert.Single(ReferencedTypes(typeof(HostIsolator).Assembly), reference => reference.FullName == "System.Net.Sockets.ProtocolType");

        Assert.Equal("System.Net.Sockets", protocolType.Scope);
        Assert.True(Resolve(protocolType).IsEnum);
    }

    private static Assembly[] ImageAssemblies() => [typeof(HostIsolator).Assembly, typeof(Errno).Assembly, typeof(IsolateCli).Assembly];

    /// <summary>Every type reference of the assembly's metadata, with the assembly it is compiled against.</summary>
    private static List<(string FullName, string Scope)> ReferencedTypes(Assembly assembly)
    {
        using FileStream file = File.OpenRead(assembly.Location);
        using var image = new PEReader(file);
        MetadataReader metadata = image.GetMetadataReader();
        var references = new List<(string FullName, string Scope)>();
        foreach (TypeReferenceHandle handle in metadata.TypeReferences)
        {
            TypeReference reference = metadata.GetTypeReference(handle);
            string name = metadata.GetString(reference.Name);
            // A nested type is scoped to its declaring type: the assembly is that of the outermost one.
            while (reference.ResolutionScope.Kind == HandleKind.TypeReference)
            {
                reference = metadata.GetTypeReference((TypeReferenceHandle)reference.ResolutionScope);
                name = metadata.GetString(reference.Name) + "+" + name;
            }

            if (reference.ResolutionScope.Kind == HandleKind.AssemblyReference)
            {
                AssemblyReference scope = metadata.GetAssemblyReference((AssemblyReferenceHandle)reference.ResolutionScope);
                string ns = metadata.GetString(reference.Namespace);
                references.Add((ns.Length == 0 ? name : ns + "." + name, metadata.GetString(scope.Name)));
            }
        }

        return references;
    }

    private static Type Resolve((string FullName, string Scope) reference)
        => Type.GetType($"{reference.FullName}, {reference.Scope}", throwOnError: true)!;
}
