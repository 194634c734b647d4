using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using AuroraSoc.NetlinkIsolation.Testing;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>
/// The demo is a program, not a test: it borrows the test-support library's throwaway namespaces and topology, and
/// nothing it loads may reference xunit. Read from the demo's build output (the solution build makes it).
/// </summary>
public sealed class DemoDependencyTests
{
    private const string DemoAssembly = "aurorasoc-isolate-demo";

    [Fact]
    public void DemoAssembly_AndEveryProjectAssemblyItReferences_ReferenceNoXunitAssembly()
    {
        string output = DemoOutput();
        var visited = new SortedSet<string>(StringComparer.Ordinal);
        var xunitReferences = new List<string>();

        Walk(DemoAssembly, output, visited, xunitReferences);

        Assert.Contains("AuroraSoc.NetlinkIsolation.Testing", visited);
        Assert.True(xunitReferences.Count == 0, "the demo loads xunit:\n" + string.Join('\n', xunitReferences));
    }

    [Fact]
    public void DemoDependencies_DepsFile_ListNoXunitPackage()
    {
        string deps = File.ReadAllText(Path.Combine(DemoOutput(), DemoAssembly + ".deps.json"));

        Assert.Contains("AuroraSoc.NetlinkIsolation.Testing", deps, StringComparison.Ordinal);
        Assert.DoesNotContain("xunit", deps, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Follows assembly references through every assembly present in the demo's output (framework ones are not).</summary>
    private static void Walk(string name, string output, SortedSet<string> visited, List<string> xunitReferences)
    {
        string path = Path.Combine(output, name + ".dll");
        if (!visited.Add(name) || !File.Exists(path))
        {
            return;
        }

        using var pe = new PEReader(File.OpenRead(path));
        MetadataReader metadata = pe.GetMetadataReader();
        foreach (AssemblyReferenceHandle handle in metadata.AssemblyReferences)
        {
            string referenced = metadata.GetString(metadata.GetAssemblyReference(handle).Name);
            if (referenced.StartsWith("xunit", StringComparison.OrdinalIgnoreCase))
            {
                xunitReferences.Add($"{name} -> {referenced}");
            }

            Walk(referenced, output, visited, xunitReferences);
        }
    }

    private static string DemoOutput()
    {
        string configuration = typeof(DemoDependencyTests).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Debug";
        string output = Path.Combine(RepositoryPaths.Root, "src", "AuroraSoc.NetlinkIsolation.Demo", "bin", configuration, "net10.0");
        Assert.True(File.Exists(Path.Combine(output, DemoAssembly + ".dll")), $"the demo is not built in {output}: build the solution first");
        return output;
    }
}
