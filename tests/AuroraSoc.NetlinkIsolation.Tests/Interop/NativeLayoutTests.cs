using System.Globalization;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.Interop.SockDiag;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Tests.Interop;

/// <summary>
/// Every struct layout and constant of the interop assembly, checked against the installed kernel and libc headers
/// (as Tmds.LibC's StructTests do) so a typo fails the build instead of corrupting a batch.
/// </summary>
public class NativeLayoutTests
{
    [Fact]
    public void HeaderTable_EveryInteropMember_HasExactlyOneEntry()
    {
        var tableKeys = NativeHeaderTable.Entries.Select(entry => entry.Key).ToList();
        var ourKeys = InteropValues().Keys.ToHashSet(StringComparer.Ordinal);

        var duplicated = tableKeys.GroupBy(key => key, StringComparer.Ordinal).Where(group => group.Count() > 1).Select(group => group.Key);
        var unmapped = ourKeys.Except(tableKeys, StringComparer.Ordinal).Order(StringComparer.Ordinal);
        var stale = tableKeys.Except(ourKeys, StringComparer.Ordinal).Order(StringComparer.Ordinal);

        Assert.Empty(duplicated);
        Assert.True(!unmapped.Any(), "interop members without a header mapping in NativeHeaderTable:\n" + string.Join('\n', unmapped));
        Assert.True(!stale.Any(), "NativeHeaderTable entries naming no interop member:\n" + string.Join('\n', stale));
    }

    [Fact]
    public async Task InteropValues_ComparedWithKernelHeaders_AllMatch()
    {
        IReadOnlyDictionary<string, string> header = await NativeHeaderProbe.RunAsync(TestContext.Current.CancellationToken);

        var mismatches = new List<string>();
        foreach ((string key, long ours) in InteropValues())
        {
            NativeHeaderEntry? entry = NativeHeaderTable.Entries.FirstOrDefault(entry => entry.Key == key);
            string cExpression = entry?.CExpression ?? "(unmapped)";
            if (!header.TryGetValue(key, out string? printed))
            {
                mismatches.Add($"{key}: not printed by the header probe ({cExpression})");
            }
            else if (printed == "0" && entry?.NewerThanHeader is { } release)
            {
                TestContext.Current.TestOutputHelper?.WriteLine($"{key}: the installed header predates Linux {release}; proven against the kernel by the privileged feature-probe test");
            }
            else if (long.Parse(printed, CultureInfo.InvariantCulture) != ours)
            {
                mismatches.Add($"{key}: ours {ours}, header {printed} ({cExpression})");
            }
        }

        Assert.True(mismatches.Count == 0, $"{mismatches.Count} value(s) differ from the kernel headers:\n" + string.Join('\n', mismatches));
    }

    [Fact]
    public async Task Describe_EveryErrnoConstant_MatchesCStrerror()
    {
        IReadOnlyDictionary<string, string> header = await NativeHeaderProbe.RunAsync(TestContext.Current.CancellationToken);

        var mismatches = new List<string>();
        foreach (FieldInfo field in typeof(Errno).GetFields().Where(field => field.IsLiteral))
        {
            string expected = header[NativeHeaderProbe.StrerrorPrefix + field.Name];
            string actual = Errno.Describe((int)field.GetRawConstantValue()!);
            if (actual != expected)
            {
                mismatches.Add($"{field.Name}: ours \"{actual}\", strerror \"{expected}\"");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join('\n', mismatches));
    }

    [Fact]
    public void Size_EveryInteropStruct_EqualsManagedAndMarshalledSize()
    {
        Assert.Equal([NetlinkMessageHeader.Size, NetlinkMessageHeader.Size], new[] { Unsafe.SizeOf<NetlinkMessageHeader>(), Marshal.SizeOf<NetlinkMessageHeader>() });
        Assert.Equal([NetlinkErrorMessage.Size, NetlinkErrorMessage.Size], new[] { Unsafe.SizeOf<NetlinkErrorMessage>(), Marshal.SizeOf<NetlinkErrorMessage>() });
        Assert.Equal([NetlinkAttributeHeader.Size, NetlinkAttributeHeader.Size], new[] { Unsafe.SizeOf<NetlinkAttributeHeader>(), Marshal.SizeOf<NetlinkAttributeHeader>() });
        Assert.Equal([NfGenMessage.Size, NfGenMessage.Size], new[] { Unsafe.SizeOf<NfGenMessage>(), Marshal.SizeOf<NfGenMessage>() });
        Assert.Equal([SockAddrNetlink.Size, SockAddrNetlink.Size], new[] { Unsafe.SizeOf<SockAddrNetlink>(), Marshal.SizeOf<SockAddrNetlink>() });
        Assert.Equal([InetDiagAddress.Size, InetDiagAddress.Size], new[] { Unsafe.SizeOf<InetDiagAddress>(), Marshal.SizeOf<InetDiagAddress>() });
        Assert.Equal([InetDiagCookie.Size, InetDiagCookie.Size], new[] { Unsafe.SizeOf<InetDiagCookie>(), Marshal.SizeOf<InetDiagCookie>() });
        Assert.Equal([InetDiagSocketId.Size, InetDiagSocketId.Size], new[] { Unsafe.SizeOf<InetDiagSocketId>(), Marshal.SizeOf<InetDiagSocketId>() });
        Assert.Equal([InetDiagRequestV2.Size, InetDiagRequestV2.Size], new[] { Unsafe.SizeOf<InetDiagRequestV2>(), Marshal.SizeOf<InetDiagRequestV2>() });
        Assert.Equal([InetDiagMessage.Size, InetDiagMessage.Size], new[] { Unsafe.SizeOf<InetDiagMessage>(), Marshal.SizeOf<InetDiagMessage>() });
        Assert.Equal([PeerCredentials.Size, PeerCredentials.Size], new[] { Unsafe.SizeOf<PeerCredentials>(), Marshal.SizeOf<PeerCredentials>() });
    }

    /// <summary>Our side, keyed like <see cref="NativeHeaderTable"/>: every public constant and enum member, every struct layout.</summary>
    private static Dictionary<string, long> InteropValues()
    {
        var values = new Dictionary<string, long>(StringComparer.Ordinal);
        // Every top-level type of native-interop, internal ones included: most of it is internal to the library.
        foreach (Type type in typeof(Errno).Assembly.GetTypes().Where(type => !type.IsNested && type.Namespace is not null))
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral))
            {
                values[$"{type.Name}.{field.Name}"] = Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture);
            }

            // A ref struct (a lease on a handle) is managed-only: it never crosses into native code.
            if (type.IsValueType && !type.IsEnum && !type.IsByRefLike)
            {
                // Blittable sequential structs: the marshalled layout is the managed one (checked by the test above).
                values[$"sizeof {type.Name}"] = Marshal.SizeOf(type);
                foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Instance))
                {
                    values[$"offsetof {type.Name}.{field.Name}"] = Marshal.OffsetOf(type, field.Name);
                    values[$"sizeof {type.Name}.{field.Name}"] = Marshal.SizeOf(field.FieldType);
                }
            }
        }

        // The kernel enums of the decoded model live in the library's NfTables namespace (they are its public API, and
        // the interop assembly exports nothing); their values are checked against the headers like the rest.
        Type[] modelEnums =
        [
            typeof(NfProtocolFamily), typeof(NfInetHook), typeof(NfVerdict), typeof(NftTableFlags), typeof(NftRegister),
            typeof(NftCmpOperator), typeof(NftBitwiseOperation), typeof(NftCtKey), typeof(NftMetaKey), typeof(NftPayloadBase),
            typeof(NftRejectType),
        ];
        foreach (Type type in modelEnums)
        {
            foreach (FieldInfo field in type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral))
            {
                values[$"{type.Name}.{field.Name}"] = Convert.ToInt64(field.GetRawConstantValue(), CultureInfo.InvariantCulture);
            }
        }

        return values;
    }
}
