using System.Reflection;
using System.Reflection.Emit;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Tests.Architecture;

/// <summary>
/// Dependencies point down, layer by layer, lowest first: Json (field readers) → Netlink (the protocol) → NfTables
/// (nf_tables objects) → SockDiag (socket diagnostics) → Isolation (policy → ruleset → isolator) → Intent (records and
/// their store) → Handoff (the guard's Unix-socket protocol) → Durable (isolate/unisolate/restore that record and hand
/// over) → Guard (the long-running owner). A layer may name anything below it and nothing above it. Checked over
/// everything a type's compiled code names: base types, signatures, fields, and the types, methods and fields its IL
/// refers to (closures and state machines are nested types and are checked too).
/// </summary>
public class LayeringTests
{
    private const string Root = "AuroraSoc.NetlinkIsolation.";

    /// <summary>The library's layers, lowest first; every folder of the library is one of them.</summary>
    private static readonly string[] Layers = ["Json", "Netlink", "NfTables", "SockDiag", "Isolation", "Intent", "Handoff", "Durable", "Guard"];

    /// <summary>Every (layer, a layer above it) pair: one row each.</summary>
    public static TheoryData<string, string> LayerPairs()
    {
        var pairs = new TheoryData<string, string>();
        for (int low = 0; low < Layers.Length; low++)
        {
            for (int high = low + 1; high < Layers.Length; high++)
            {
                pairs.Add(Layers[low], Layers[high]);
            }
        }

        return pairs;
    }

    [Fact]
    public void Layers_EveryNamespaceOfTheLibrary_BelongsToALayer()
    {
        var unlisted = new SortedSet<string>(StringComparer.Ordinal);
        foreach (Type type in typeof(HostIsolator).Assembly.GetTypes())
        {
            if (type.Namespace is { } ns && ns.StartsWith(Root, StringComparison.Ordinal)
                && !Layers.Any(layer => InNamespace(type, Root + layer)))
            {
                unlisted.Add(ns);
            }
        }

        Assert.True(unlisted.Count == 0, "namespaces outside every layer: " + string.Join(", ", unlisted));
    }

    [Theory]
    [MemberData(nameof(LayerPairs))]
    public void Layer_CompiledCode_ReferencesNothingAbove(string layer, string above)
    {
        string layerNamespace = Root + layer;
        string aboveNamespace = Root + above;
        var violations = new SortedSet<string>(StringComparer.Ordinal);
        Type[] layerTypes = [.. typeof(HostIsolator).Assembly.GetTypes().Where(t => InNamespace(t, layerNamespace))];
        Assert.NotEmpty(layerTypes);

        foreach (Type type in layerTypes)
        {
            foreach (Type referenced in ReferencedTypes(type))
            {
                if (InNamespace(referenced, aboveNamespace))
                {
                    violations.Add($"{type.FullName} -> {referenced.FullName}");
                }
            }
        }

        Assert.True(violations.Count == 0, $"{layer} references {above}:\n" + string.Join("\n", violations));
    }

    [Fact]
    public void ReferencedTypes_OfATypeCallingUp_FindTheCall()
    {
        // The check itself must see a reference made only inside a method body.
        Assert.Contains(typeof(HostIsolator), ReferencedTypes(typeof(Probe)));
    }

    private static bool InNamespace(Type type, string ns)
        => type.Namespace is { } n && (n == ns || n.StartsWith(ns + ".", StringComparison.Ordinal));

    private static HashSet<Type> ReferencedTypes(Type type)
    {
        var found = new HashSet<Type>();
        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

        Add(found, type.BaseType);
        foreach (Type implemented in type.GetInterfaces())
        {
            Add(found, implemented);
        }

        foreach (FieldInfo field in type.GetFields(all))
        {
            Add(found, field.FieldType);
        }

        foreach (MethodBase method in type.GetMethods(all).Cast<MethodBase>().Concat(type.GetConstructors(all)))
        {
            if (method is MethodInfo info)
            {
                Add(found, info.ReturnType);
            }

            foreach (ParameterInfo parameter in method.GetParameters())
            {
                Add(found, parameter.ParameterType);
            }

            AddFromBody(found, method);
        }

        return found;
    }

    private static void AddFromBody(HashSet<Type> found, MethodBase method)
    {
        byte[]? il = method.GetMethodBody()?.GetILAsByteArray();
        if (il is null)
        {
            return;
        }

        Type[]? typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        Type[]? methodArguments = method.IsGenericMethod ? method.GetGenericArguments() : null;
        int position = 0;
        while (position < il.Length)
        {
            OpCode opCode = ReadOpCode(il, ref position);
            int operandSize = OperandSize(opCode.OperandType, il, position);
            if (opCode.OperandType is OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok)
            {
                int token = BitConverter.ToInt32(il, position);
                MemberInfo? member = method.Module.ResolveMember(token, typeArguments, methodArguments);
                switch (member)
                {
                    case Type referenced:
                        Add(found, referenced);
                        break;
                    case FieldInfo field:
                        Add(found, field.DeclaringType);
                        Add(found, field.FieldType);
                        break;
                    case MethodBase called:
                        Add(found, called.DeclaringType);
                        if (called is MethodInfo info)
                        {
                            Add(found, info.ReturnType);
                            foreach (Type argument in info.IsGenericMethod ? info.GetGenericArguments() : [])
                            {
                                Add(found, argument);
                            }
                        }

                        foreach (ParameterInfo parameter in called.GetParameters())
                        {
                            Add(found, parameter.ParameterType);
                        }

                        break;
                }
            }

            position += operandSize;
        }
    }

    private static void Add(HashSet<Type> found, Type? type)
    {
        if (type is null || type.IsGenericParameter || !found.Add(type))
        {
            return;
        }

        if (type.HasElementType)
        {
            Add(found, type.GetElementType());
        }

        if (type.IsGenericType)
        {
            foreach (Type argument in type.GetGenericArguments())
            {
                Add(found, argument);
            }
        }
    }

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    private static OpCode ReadOpCode(byte[] il, ref int position)
    {
        short value = il[position++];
        if (value == 0xFE)
        {
            value = unchecked((short)(0xFE00 | il[position++]));
        }

        return OpCodesByValue[value];
    }

    private static int OperandSize(OperandType operandType, byte[] il, int position) => operandType switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, position)),
        _ => 4,
    };

    // Names HostIsolator only inside a method body, for the self-test of the IL scan.
    private static class Probe
    {
        public static string Name() => nameof(Probe) + typeof(HostIsolator).Name;
    }
}
