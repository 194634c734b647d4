using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Schema;

/// <summary>Writes one scalar attribute value in its wire form.</summary>
internal delegate void ScalarWriter<in TValue>(ref NetlinkWriter writer, ushort type, TValue value);

/// <summary>Reads the scalar value of the attribute the reader is positioned on.</summary>
internal delegate TValue ScalarReader<out TValue>(in NetlinkAttributeReader reader);

/// <summary>
/// A fixed-size attribute whose wire form is given by a writer/reader pair; the factories below fix the forms
/// nf_tables uses. NFTA_* integers are big-endian (nf_tables.h: "NLA_U32 ... (NLA_BE32)").
/// </summary>
internal sealed class ScalarField<TObject, TValue>(
    ushort type, string kernelName, Func<TObject, TValue?> get, Action<TObject, TValue> set, ScalarWriter<TValue> write, ScalarReader<TValue> read)
    : AttributeField<TObject>(type, kernelName)
    where TValue : struct
{
    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        TValue? field = get(value);
        if (field.HasValue)
        {
            write(ref writer, Type, field.Value);
        }
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target)
    {
        set(target, read(in reader));
        return true;
    }
}

/// <summary>Factories for the scalar attribute forms of nf_tables.</summary>
internal static class ScalarFields
{
    /// <summary>A 32-bit big-endian integer (NLA_BE32).</summary>
    public static ScalarField<TObject, uint> UInt32<TObject>(ushort type, string kernelName, Func<TObject, uint?> get, Action<TObject, uint> set)
        => new(type, kernelName, get, set, static (ref NetlinkWriter w, ushort t, uint v) => w.WriteUInt32BigEndian(t, v), static (in NetlinkAttributeReader r) => r.GetUInt32BigEndian());

    /// <summary>A 64-bit big-endian integer (NLA_BE64: object handles).</summary>
    public static ScalarField<TObject, ulong> UInt64<TObject>(ushort type, string kernelName, Func<TObject, ulong?> get, Action<TObject, ulong> set)
        => new(type, kernelName, get, set, static (ref NetlinkWriter w, ushort t, ulong v) => w.WriteUInt64BigEndian(t, v), static (in NetlinkAttributeReader r) => r.GetUInt64BigEndian());

    /// <summary>One byte (NLA_U8).</summary>
    public static ScalarField<TObject, byte> Byte<TObject>(ushort type, string kernelName, Func<TObject, byte?> get, Action<TObject, byte> set)
        => new(type, kernelName, get, set, static (ref NetlinkWriter w, ushort t, byte v) => w.WriteByte(t, v), static (in NetlinkAttributeReader r) => r.GetByte());
}

/// <summary>A NUL-terminated string attribute.</summary>
internal sealed class StringField<TObject>(ushort type, string kernelName, Func<TObject, string?> get, Action<TObject, string> set)
    : AttributeField<TObject>(type, kernelName)
{
    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        string? field = get(value);
        if (field is not null)
        {
            writer.WriteString(Type, field);
        }
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target)
    {
        set(target, reader.GetString());
        return true;
    }
}

/// <summary>
/// Register data (struct nft_data): a nested attribute holding NFTA_DATA_VALUE with the raw bytes. The bytes are
/// already in the order of the field they are compared with (network order for addresses and ports, host order
/// for ct state and meta keys, which the kernel compares as host-order u32: nft_ct.c, nft_meta.c).
/// </summary>
internal sealed class DataValueField<TObject>(ushort type, string kernelName, Func<TObject, byte[]?> get, Action<TObject, byte[]> set)
    : AttributeField<TObject>(type, kernelName)
{
    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        byte[]? field = get(value);
        if (field is null)
        {
            return;
        }

        AttributeToken data = writer.BeginNested(Type);
        writer.WriteAttribute((ushort)NftDataAttribute.Value, field);
        writer.EndNested(data);
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target)
    {
        NetlinkAttributeReader nested = reader.Nested();
        while (nested.Read())
        {
            if (nested.Type == (ushort)NftDataAttribute.Value)
            {
                if (nested.Value.Length is 0 or > 64)
                {
                    throw new NetlinkProtocolException($"{KernelName} value of {nested.Value.Length} bytes is outside 1..64.");
                }

                set(target, nested.Value.ToArray());
                return true;
            }
        }

        return false; // e.g. a verdict where a value was expected: not a form this project models
    }

    public override string? NameNested(ushort nestedType) => nestedType == (ushort)NftDataAttribute.Value ? "NFTA_DATA_VALUE" : null;
}

/// <summary>A verdict (struct nft_data of type NFT_DATA_VERDICT): NFTA_DATA_VERDICT { NFTA_VERDICT_CODE, [NFTA_VERDICT_CHAIN] }.</summary>
internal sealed class VerdictField<TObject>(ushort type, string kernelName, Func<TObject, NftVerdictData?> get, Action<TObject, NftVerdictData> set)
    : AttributeField<TObject>(type, kernelName)
{
    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        NftVerdictData? field = get(value);
        if (field is null)
        {
            return;
        }

        AttributeToken data = writer.BeginNested(Type);
        AttributeToken verdict = writer.BeginNested((ushort)NftDataAttribute.Verdict);
        writer.WriteUInt32BigEndian((ushort)NftVerdictAttribute.Code, unchecked((uint)field.Value.Code));
        if (field.Value.Chain is not null)
        {
            writer.WriteString((ushort)NftVerdictAttribute.Chain, field.Value.Chain);
        }

        writer.EndNested(verdict);
        writer.EndNested(data);
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target)
    {
        NetlinkAttributeReader data = reader.Nested();
        while (data.Read())
        {
            if (data.Type != (ushort)NftDataAttribute.Verdict)
            {
                continue;
            }

            NetlinkAttributeReader verdict = data.Nested();
            int? code = null;
            string? chain = null;
            while (verdict.Read())
            {
                switch (verdict.Type)
                {
                    case (ushort)NftVerdictAttribute.Code:
                        code = unchecked((int)verdict.GetUInt32BigEndian());
                        break;
                    case (ushort)NftVerdictAttribute.Chain:
                        chain = verdict.GetString();
                        break;
                }
            }

            if (code is null)
            {
                throw new NetlinkProtocolException($"{KernelName} verdict has no NFTA_VERDICT_CODE.");
            }

            set(target, new NftVerdictData((NfVerdict)code.Value, chain));
            return true;
        }

        return false; // immediate data that is a value, not a verdict: kept opaque
    }

    public override string? NameNested(ushort nestedType) => nestedType == (ushort)NftDataAttribute.Verdict ? "NFTA_DATA_VERDICT" : null;
}

/// <summary>Scalar forms nf_tables uses less often.</summary>
internal static class NarrowScalarFields
{
    /// <summary>A 16-bit big-endian integer (NLA_BE16... sent as NLA_U16 in network order: NFTA_LOG_GROUP, nft_log.c).</summary>
    public static ScalarField<TObject, ushort> UInt16<TObject>(ushort type, string kernelName, Func<TObject, ushort?> get, Action<TObject, ushort> set)
        => new(type, kernelName, get, set, static (ref NetlinkWriter w, ushort t, ushort v) =>
        {
            Span<byte> bytes = stackalloc byte[2];
            System.Buffers.Binary.BinaryPrimitives.WriteUInt16BigEndian(bytes, v);
            w.WriteAttribute(t, bytes);
        }, static (in NetlinkAttributeReader r) => r.Value.Length == 2 ? System.Buffers.Binary.BinaryPrimitives.ReadUInt16BigEndian(r.Value) : throw new NetlinkProtocolException($"attribute {r.Type} has {r.Value.Length} bytes where 2 were expected."));
}
