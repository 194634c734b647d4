using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Sets;

/// <summary>
/// A set (NFT_MSG_NEWSET) as far as recording blocked traffic needs one: an anonymous constant set (<c>{ tcp, udp }</c>)
/// or a dynamic ledger with a size and a per-element statement (<c>counter</c>). One description encodes and decodes it;
/// the elements it holds are read separately (GETSETELEM) and kept here for printing.
/// </summary>
internal sealed class NftSetDeclaration
{
    /// <summary>The name nft gives an anonymous set; the kernel replaces %d with a number (nf_tables_set_alloc_name).</summary>
    public const string AnonymousName = "__set%d";

    // nft 1.0.6 order on NEWSET: TABLE, NAME, FLAGS, KEY_TYPE, KEY_LEN, ID, DESC { SIZE }, USERDATA, EXPR (checked against
    // tests/TestVectors/record-blocked.request.hex). HANDLE and the rest are the kernel's, read when dumped.
    internal static readonly ObjectSchema<NftSetDeclaration> Description = new(
        "set",
        new StringField<NftSetDeclaration>((ushort)NftSetAttribute.Table, "NFTA_SET_TABLE", s => s.Table, (s, v) => s.Table = v),
        new StringField<NftSetDeclaration>((ushort)NftSetAttribute.Name, "NFTA_SET_NAME", s => s.Name, (s, v) => s.Name = v),
        ScalarFields.UInt64<NftSetDeclaration>((ushort)NftSetAttribute.Handle, "NFTA_SET_HANDLE", s => s.Handle, (s, v) => s.Handle = v),
        ScalarFields.UInt32<NftSetDeclaration>((ushort)NftSetAttribute.Flags, "NFTA_SET_FLAGS", s => (uint)s.Flags, (s, v) => s.Flags = (NftSetFlags)v),
        ScalarFields.UInt32<NftSetDeclaration>((ushort)NftSetAttribute.KeyType, "NFTA_SET_KEY_TYPE", s => s.KeyType, (s, v) => s.KeyType = v),
        ScalarFields.UInt32<NftSetDeclaration>((ushort)NftSetAttribute.KeyLength, "NFTA_SET_KEY_LEN", s => s.KeyLength, (s, v) => s.KeyLength = v),
        ScalarFields.UInt32<NftSetDeclaration>((ushort)NftSetAttribute.Id, "NFTA_SET_ID", s => s.Id, (s, v) => s.Id = v),
        new SizeField((ushort)NftSetAttribute.Description, "NFTA_SET_DESC"),
        new BinaryField<NftSetDeclaration>((ushort)NftSetAttribute.UserData, "NFTA_SET_USERDATA", s => s._userData, (s, v) => s._userData = v),
        new NestedExpressionField<NftSetDeclaration>((ushort)NftSetAttribute.Expression, "NFTA_SET_EXPR", s => s.ElementStatement, (s, v) => s.ElementStatement = v));

    private byte[]? _userData;

    internal NftSetDeclaration()
    {
        Table = string.Empty;
        Name = string.Empty;
    }

    /// <summary>A set to create; <paramref name="userData"/> is what nft stores for its own printing (byte order, typeof).</summary>
    public NftSetDeclaration(
        NfProtocolFamily family, string table, string name, NftSetFlags flags, uint keyType, uint keyLength, uint id, uint size,
        byte[] userData, NftExpression? elementStatement = null)
    {
        Family = family;
        Table = table;
        Name = name;
        Flags = flags;
        KeyType = keyType;
        KeyLength = keyLength;
        Id = id;
        Size = size;
        _userData = userData;
        ElementStatement = elementStatement;
    }

    public NfProtocolFamily Family { get; internal set; }

    public string Table { get; private set; }

    /// <summary>The set's name; the kernel's <c>__set0</c> … for an anonymous set read back.</summary>
    public string Name { get; private set; }

    public ulong? Handle { get; private set; }

    public NftSetFlags Flags { get; private set; }

    /// <summary>nft's datatype id of the key (a concatenation packs one 6-bit id per part, first part highest).</summary>
    public uint KeyType { get; private set; }

    public uint KeyLength { get; private set; }

    /// <summary>NFTA_SET_ID: how rules of the same batch name the set before the kernel has named it.</summary>
    public uint? Id { get; private set; }

    /// <summary>The most elements the set holds (NFTA_SET_DESC_SIZE); null when unbounded.</summary>
    public uint? Size { get; private set; }

    /// <summary>The statement every element carries (the ledger's per-element <c>counter</c>); null when none.</summary>
    public NftExpression? ElementStatement { get; private set; }

    /// <summary>The elements read from the kernel (GETSETELEM), in the order it listed them; empty for one to create.</summary>
    public IReadOnlyList<NftSetElement> Elements { get; internal set; } = [];

    public bool IsAnonymous => (Flags & NftSetFlags.Anonymous) != 0;

    /// <summary>NFTA_SET_DESC { NFTA_SET_DESC_SIZE }: a big-endian u32 in a nest.</summary>
    private sealed class SizeField(ushort type, string kernelName) : AttributeField<NftSetDeclaration>(type, kernelName)
    {
        public override void Write(ref NetlinkWriter writer, NftSetDeclaration value)
        {
            if (value.Size is uint size)
            {
                AttributeToken nested = writer.BeginNested(Type);
                writer.WriteUInt32BigEndian((ushort)NftSetDescriptionAttribute.Size, size);
                writer.EndNested(nested);
            }
        }

        public override bool Read(in NetlinkAttributeReader reader, NftSetDeclaration target)
        {
            NetlinkAttributeReader nested = reader.Nested();
            while (nested.Read())
            {
                if (nested.Type == (ushort)NftSetDescriptionAttribute.Size)
                {
                    target.Size = nested.GetUInt32BigEndian();
                }
            }

            return true;
        }

        public override string? NameNested(ushort nestedType) => nestedType == (ushort)NftSetDescriptionAttribute.Size ? "NFTA_SET_DESC_SIZE" : null;
    }
}
