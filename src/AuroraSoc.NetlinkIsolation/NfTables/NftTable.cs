using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>An nf_tables table (NFT_MSG_NEWTABLE): a family and a name that own chains.</summary>
public sealed class NftTable
{
    // nft 1.0.6 writes NAME then FLAGS on NEWTABLE; DELTABLE and GETTABLE carry only NAME. HANDLE, USE and OWNER are
    // the kernel's: only decoded tables have them, so they are never written.
    internal static readonly ObjectSchema<NftTable> Description = new(
        "table",
        new StringField<NftTable>((ushort)NftTableAttribute.Name, "NFTA_TABLE_NAME", t => t.Name, (t, v) => t.Name = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Flags, "NFTA_TABLE_FLAGS", t => t.Flags, (t, v) => t.Flags = v),
        ScalarFields.UInt64<NftTable>((ushort)NftTableAttribute.Handle, "NFTA_TABLE_HANDLE", t => t.Handle, (t, v) => t.Handle = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Use, "NFTA_TABLE_USE", t => t.Use, (t, v) => t.Use = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Owner, "NFTA_TABLE_OWNER", t => t.Owner, (t, v) => t.Owner = v));

    public NftTable(NfProtocolFamily family, string name, uint? flags = 0)
    {
        Family = family;
        Name = name;
        Flags = flags;
    }

    internal NftTable()
    {
        Name = string.Empty;
    }

    public NfProtocolFamily Family { get; internal set; }

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

    /// <summary>Number of chains (and other objects) using the table; present only on decoded tables.</summary>
    public uint? Use { get; private set; }
}
