using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// A named nf_tables set (NFT_MSG_NEWSET) with its elements: the kernel's answer to "is this key one of these", evaluated
/// in O(log n) by one lookup expression instead of one rule per peer. The same model serves the interval and concatenated
/// sets of a large allowlist, the recording's dynamic ledgers (a size and a per-element <c>counter</c>), and anonymous
/// constant sets as the kernel lists them from tables others wrote.
/// </summary>
internal sealed class NftSet
{
    // nft 1.0.6 (libnftnl nftnl_set_nlmsg_build_payload) order on NEWSET: TABLE, NAME, FLAGS, KEY_TYPE, KEY_LEN, ID, DESC,
    // USERDATA, EXPR (checked against tests/TestVectors/named-sets-v4.request.hex and record-blocked.request.hex). HANDLE is
    // the kernel's: decoded only.
    internal static readonly ObjectSchema<NftSet> Description = new(
        "set",
        new StringField<NftSet>((ushort)NftSetAttribute.Table, "NFTA_SET_TABLE", s => s.Table, (s, v) => s.Table = v),
        new StringField<NftSet>((ushort)NftSetAttribute.Name, "NFTA_SET_NAME", s => s.Name, (s, v) => s.Name = v),
        ScalarFields.UInt32<NftSet>((ushort)NftSetAttribute.Flags, "NFTA_SET_FLAGS", s => (uint?)s.Flags, (s, v) => s.Flags = (NftSetFlags)v),
        ScalarFields.UInt32<NftSet>((ushort)NftSetAttribute.KeyType, "NFTA_SET_KEY_TYPE", s => s.KeyType, (s, v) => s.KeyType = v),
        ScalarFields.UInt32<NftSet>((ushort)NftSetAttribute.KeyLength, "NFTA_SET_KEY_LEN", s => s.KeyLength, (s, v) => s.KeyLength = v),
        ScalarFields.UInt32<NftSet>((ushort)NftSetAttribute.Id, "NFTA_SET_ID", s => s.Id, (s, v) => s.Id = v),
        new DescriptionField((ushort)NftSetAttribute.Description, "NFTA_SET_DESC"),
        new BinaryField<NftSet>((ushort)NftSetAttribute.UserData, "NFTA_SET_USERDATA", s => s.UserData, (s, v) => s.UserData = v),
        new NestedExpressionField<NftSet>((ushort)NftSetAttribute.Expression, "NFTA_SET_EXPR", s => s.ElementStatement, (s, v) => s.ElementStatement = v),
        ScalarFields.UInt64<NftSet>((ushort)NftSetAttribute.Handle, "NFTA_SET_HANDLE", s => s.Handle, (s, v) => s.Handle = v));

    /// <param name="family">The table's family.</param>
    /// <param name="table">The table's name.</param>
    /// <param name="name">The set's name.</param>
    /// <param name="flags">NFT_SET_* flags (interval, concat).</param>
    /// <param name="keyType">nft's datatype id of the key (a concatenation packs one 6-bit id per field, first field highest).</param>
    /// <param name="keyLength">Bytes of the key: each concatenated field rounded up to 4 (NFT_REG32_SIZE).</param>
    /// <param name="id">NFTA_SET_ID: lets elements and lookups of the same batch name the set before it exists.</param>
    /// <param name="fieldLengths">Byte length of each field of a concatenation (NFTA_SET_DESC_CONCAT); null for a plain key.</param>
    /// <param name="userData">NFTA_SET_USERDATA as nft writes it (the key's byte order and, for concatenations, its typeof).</param>
    /// <param name="size">The most elements the set holds (NFTA_SET_DESC_SIZE): a ledger's bound, an anonymous set's count; null when unbounded.</param>
    /// <param name="elementStatement">The statement every element carries (NFTA_SET_EXPR: a ledger's <c>counter</c>); null when none.</param>
    public NftSet(
        NfProtocolFamily family, string table, string name, NftSetFlags flags, uint keyType, uint keyLength, uint id, uint[]? fieldLengths, byte[]? userData,
        uint? size = null, NftExpression? elementStatement = null)
    {
        Family = family;
        Table = table;
        Name = name;
        Flags = flags;
        KeyType = keyType;
        KeyLength = keyLength;
        Id = id;
        FieldLengths = fieldLengths;
        UserData = userData;
        Size = size;
        ElementStatement = elementStatement;
    }

    /// <summary>The name nft gives an anonymous set; the kernel replaces %d with a number (nf_tables_set_alloc_name).</summary>
    public const string AnonymousName = "__set%d";

    internal NftSet()
    {
        Table = string.Empty;
        Name = string.Empty;
    }

    public NfProtocolFamily Family { get; internal set; }

    public string Table { get; private set; }

    public string Name { get; private set; }

    public NftSetFlags? Flags { get; private set; }

    public uint? KeyType { get; private set; }

    public uint? KeyLength { get; private set; }

    /// <summary>The batch-local id; absent on decoded sets.</summary>
    public uint? Id { get; private set; }

    /// <summary>Byte length of each concatenated field; null for a plain key.</summary>
    public uint[]? FieldLengths { get; private set; }

    public byte[]? UserData { get; private set; }

    public ulong? Handle { get; private set; }

    /// <summary>The most elements the set holds (NFTA_SET_DESC_SIZE); null when unbounded.</summary>
    public uint? Size { get; private set; }

    /// <summary>The statement every element carries (the ledger's per-element <c>counter</c>); null when none.</summary>
    public NftExpression? ElementStatement { get; private set; }

    /// <summary>The elements, in the order they were added (encoding) or dumped (decoding).</summary>
    public IReadOnlyList<NftSetElement> Elements { get; internal set; } = [];

    public bool IsInterval => Flags is { } flags && (flags & NftSetFlags.Interval) != 0;

    public bool IsAnonymous => Flags is { } flags && (flags & NftSetFlags.Anonymous) != 0;

    public bool IsConcatenation => FieldLengths is { Length: > 1 } || (Flags is { } flags && (flags & NftSetFlags.Concat) != 0);

    /// <summary>
    /// NFTA_SET_DESC { NFTA_SET_DESC_SIZE, NFTA_SET_DESC_CONCAT { NFTA_LIST_ELEM { NFTA_SET_FIELD_LEN } ... } } in libnftnl's
    /// order (nftnl_set_nlmsg_build_desc_payload), each part only when the set has it; no nest at all when it has neither.
    /// </summary>
    private sealed class DescriptionField(ushort type, string kernelName) : AttributeField<NftSet>(type, kernelName)
    {
        public override void Write(ref NetlinkWriter writer, NftSet value)
        {
            if (value.FieldLengths is null && value.Size is null)
            {
                return;
            }

            AttributeToken description = writer.BeginNested(Type);
            if (value.Size is uint size)
            {
                writer.WriteUInt32BigEndian((ushort)NftSetDescriptionAttribute.Size, size);
            }

            if (value.FieldLengths is { } lengths)
            {
                AttributeToken concat = writer.BeginNested((ushort)NftSetDescriptionAttribute.Concat);
                foreach (uint length in lengths)
                {
                    AttributeToken field = writer.BeginNested((ushort)NftListAttribute.Element);
                    writer.WriteUInt32BigEndian((ushort)NftSetFieldAttribute.Length, length);
                    writer.EndNested(field);
                }

                writer.EndNested(concat);
            }

            writer.EndNested(description);
        }

        public override bool Read(in NetlinkAttributeReader reader, NftSet target)
        {
            NetlinkAttributeReader description = reader.Nested();
            while (description.Read())
            {
                if (description.Type == (ushort)NftSetDescriptionAttribute.Size)
                {
                    target.Size = description.GetUInt32BigEndian();
                    continue;
                }

                if (description.Type != (ushort)NftSetDescriptionAttribute.Concat)
                {
                    continue;
                }

                var lengths = new List<uint>();
                NetlinkAttributeReader fields = description.Nested();
                while (fields.Read())
                {
                    NetlinkAttributeReader field = fields.Nested();
                    while (field.Read())
                    {
                        if (field.Type == (ushort)NftSetFieldAttribute.Length)
                        {
                            lengths.Add(field.GetUInt32BigEndian());
                        }
                    }
                }

                target.FieldLengths = [.. lengths];
            }

            return true;
        }

        public override string? NameNested(ushort nestedType) => nestedType switch
        {
            (ushort)NftSetDescriptionAttribute.Size => "NFTA_SET_DESC_SIZE",
            (ushort)NftSetDescriptionAttribute.Concat => "NFTA_SET_DESC_CONCAT",
            _ => null,
        };
    }
}
