using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>The exported types of the library's assemblies are the product: isolation, and the decoded model.</summary>
public class PublicSurfaceTests
{
    // The design bound: isolation (policy, isolator, result, status, errors), the recorded intent, restore and the
    // guard, the operator options, and the decoded table with its renderer. Expressions are public only as
    // NftExpression; the modelled expression types, their kernel enums and the intent store's machinery are engine.
    // 41: BlockedTraffic, the report of what a recording isolation blocked, is product (the CLI's blocked reads it).
    // 42: BlockedPacket, one blocked packet as watch reports it, is product (the CLI's watch prints it).
    private const int MaxExportedTypes = 42;

    private static readonly string[] ProductNamespaces =
    [
        "AuroraSoc.NetlinkIsolation.Isolation",
        "AuroraSoc.NetlinkIsolation.Intent",
        "AuroraSoc.NetlinkIsolation.Durable",
        "AuroraSoc.NetlinkIsolation.Guard",
        "AuroraSoc.NetlinkIsolation.NfTables",
        "AuroraSoc.NetlinkIsolation.NfTables.Expressions",
    ];

    // HostIsolator's assembly is the library; Errno's is native-interop, which exports nothing.
    private static Type[] Exported => [.. typeof(HostIsolator).Assembly.GetExportedTypes(), .. typeof(Errno).Assembly.GetExportedTypes()];

    [Fact]
    public void ExportedTypes_NativeInterop_None()
        => Assert.Empty(typeof(Errno).Assembly.GetExportedTypes());

    [Fact]
    public void ExportedTypes_BothAssemblies_AtMostFortyTypes()
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
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.Sockets.NetlinkSocket")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.Namespaces.NetworkNamespaceThread")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.Errno")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.Structs.NetlinkMessageHeader")]
    [InlineData("AuroraSoc.NetlinkIsolation.Interop.Namespaces.NetworkNamespaceFiles")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.NftTableOwner")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.TablePersistenceProbe")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.Expressions.PayloadExpression")]
    [InlineData("AuroraSoc.NetlinkIsolation.NfTables.NftRegister")]
    [InlineData("AuroraSoc.NetlinkIsolation.Intent.IntentLock")]
    [InlineData("AuroraSoc.NetlinkIsolation.Isolation.HostNameResolution")]
    [InlineData("AuroraSoc.NetlinkIsolation.Handoff.GuardClient")]
    [InlineData("AuroraSoc.NetlinkIsolation.Handoff.GuardHandoffServer")]
    public void EngineType_InEitherAssembly_IsNotPublic(string fullName)
    {
        Type? type = typeof(HostIsolator).Assembly.GetType(fullName) ?? typeof(Errno).Assembly.GetType(fullName);
        Assert.NotNull(type);
        Assert.False(type.IsVisible);
    }
}
