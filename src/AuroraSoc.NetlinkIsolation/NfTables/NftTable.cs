using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>An nf_tables table (NFT_MSG_NEWTABLE): a family and a name that own chains.</summary>
public sealed class NftTable
{
    // nft 1.0.6 writes NAME, FLAGS, then USERDATA (the comment) on NEWTABLE; DELTABLE and GETTABLE carry only NAME.
    // HANDLE, USE and OWNER are the kernel's: only decoded tables have them, so they are never written.
    internal static readonly ObjectSchema<NftTable> Description = new(
        "table",
        new StringField<NftTable>((ushort)NftTableAttribute.Name, "NFTA_TABLE_NAME", t => t.Name, (t, v) => t.Name = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Flags, "NFTA_TABLE_FLAGS", t => t.Flags, (t, v) => t.Flags = v),
        new BinaryField<NftTable>((ushort)NftTableAttribute.UserData, "NFTA_TABLE_USERDATA", t => t._userData, (t, v) => t._userData = v),
        ScalarFields.UInt64<NftTable>((ushort)NftTableAttribute.Handle, "NFTA_TABLE_HANDLE", t => t.Handle, (t, v) => t.Handle = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Use, "NFTA_TABLE_USE", t => t.Use, (t, v) => t.Use = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Owner, "NFTA_TABLE_OWNER", t => t.Owner, (t, v) => t.Owner = v));

    private byte[]? _userData;

    /// <param name="family">The table's family.</param>
    /// <param name="name">The table's name.</param>
    /// <param name="flags">NFTA_TABLE_FLAGS; nft always sends it, 0 when none.</param>
    /// <param name="comment">Stored as nft stores <c>comment "TEXT"</c> (see <see cref="NftUserData"/>); null for none.</param>
    public NftTable(NfProtocolFamily family, string name, uint? flags = 0, string? comment = null)
    {
        Family = family;
        Name = name;
        Flags = flags;
        _userData = comment is null ? null : NftUserData.EncodeComment(comment);
    }

    internal NftTable()
    {
        Name = string.Empty;
    }

    /// <summary>The table's family.</summary>
    public NfProtocolFamily Family { get; internal set; }

    /// <summary>The table's name.</summary>
    public string Name { get; private set; }

    /// <summary>NFTA_TABLE_FLAGS; null writes no flags attribute, which leaves an existing table's flags as they are.</summary>
    public uint? Flags { get; private set; }

    /// <summary>The flags as nf_tables names them (none when <see cref="Flags"/> is absent).</summary>
    public NftTableFlags TableFlags => (NftTableFlags)(Flags ?? 0);

    /// <summary>
    /// The port id of the netlink socket that owns the table (NFTA_TABLE_OWNER, Linux 5.12), present on decoded tables
    /// carrying <see cref="NftTableFlags.Owner"/>. An orphaned PERSIST table has no owner.
    /// </summary>
    public uint? Owner { get; private set; }

    /// <summary>Kernel-assigned; present only on decoded tables.</summary>
    public ulong? Handle { get; private set; }

    /// <summary>
    /// Number of objects in the table — chains, sets, stateful objects and flowtables (nf_tables_api.c counts each
    /// in table->use; rules count in their chain's); present only on decoded tables.
    /// </summary>
    public uint? Use { get; private set; }

    /// <summary>NFTA_TABLE_USERDATA as stored (nft keeps the table's comment there); empty when none.</summary>
    public ReadOnlySpan<byte> UserData => _userData;

    /// <summary>The table's nft comment, or null when it has none.</summary>
    public string? Comment => _userData is null ? null : NftUserData.DecodeComment(_userData);

    /// <summary>
    /// This table as a NEWTABLE would create it again — family, name, flags and user data — without the handle and
    /// use count the kernel reported.
    /// </summary>
    internal NftTable ToNewTable() => new(Family, Name, Flags) { _userData = _userData };
}
