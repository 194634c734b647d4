using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>The exported types of the library's assemblies are the product: isolation, and the decoded model.</summary>
public class PublicSurfaceTests
{
    // 39 for isolation and the decoded model, plus the operator options of cli.md: EndpointSpecification,
    // HostNameResolution and HostNameResolutionException (collectors by name), IsolateOptions, CollectorCheck and
    // SessionCutResult (verification and session cutting results).
    private const int MaxExportedTypes = 45;

    private static readonly string[] ProductNamespaces =
    [
        "AuroraSoc.NetlinkIsolation.Isolation",
        "AuroraSoc.NetlinkIsolation.NfTables",
        "AuroraSoc.NetlinkIsolation.NfTables.Expressions",
    ];

    // HostIsolator's assembly is the library; NfProtocolFamily is declared in native-interop.
    private static Type[] Exported => [.. typeof(HostIsolator).Assembly.GetExportedTypes(), .. typeof(NfProtocolFamily).Assembly.GetExportedTypes()];

    [Fact]
    public void ExportedTypes_BothAssemblies_AtMostFortyFiveTypes()
        => Assert.True(Exported.Length <= MaxExportedTypes, $"{Exported.Length} exported types:\n" + string.Join("\n", Exported.Select(t => t.FullName).Order(StringComparer.Ordinal)));

    [Fact]
    public void ExportedTypes_BothAssemblies_NoneFromTheEngineNamespaces()
    {
        string[] engine = [.. Exported.Where(t => !ProductNamespaces.Contains(t.Namespace)).Select(t => t.FullName!).Order(StringComparer.Ordinal)];
        Assert.True(engine.Length == 0, "engine types are public:\n" + string.Join("\n", engine));
    }

    [Theory]
    [InlineData("AuroraSoc.NetlinkIsolation.Netlink.NetlinkConnection")]
    [InlineData("AuroraSoc.NetlinkIsolation.Netlink.NetlinkWriter")]
    [InlineData("AuroraSoc.NetlinkIsolation.Netlink.NetlinkException")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.NfTablesConnection")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.NfTablesBatch")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.NftRuleBuilder")]
    [InlineData("AuroraSoc.NetlinkIsolation.Isolation.IsolationRuleset")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.NetlinkSocket")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.NetworkNamespaceThread")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.Errno")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.NetlinkMessageHeader")]
    public void EngineType_InEitherAssembly_IsNotPublic(string fullName)
    {
        Type? type = typeof(HostIsolator).Assembly.GetType(fullName) ?? typeof(NfProtocolFamily).Assembly.GetType(fullName);
        Assert.NotNull(type);
        Assert.False(type.IsVisible);
    }
}
