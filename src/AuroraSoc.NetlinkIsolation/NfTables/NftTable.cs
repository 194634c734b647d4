using AuroraSoc.NetlinkIsolation.Interop;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>An nf_tables table (NFT_MSG_NEWTABLE): a family and a name that own chains.</summary>
public sealed class NftTable
{
    // nft 1.0.6 writes NAME then FLAGS on NEWTABLE; DELTABLE and GETTABLE carry only NAME.
    internal static readonly ObjectSchema<NftTable> Description = new(
        "table",
        new StringField<NftTable>((ushort)NftTableAttribute.Name, "NFTA_TABLE_NAME", t => t.Name, (t, v) => t.Name = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Flags, "NFTA_TABLE_FLAGS", t => t.Flags, (t, v) => t.Flags = v),
        ScalarFields.UInt64<NftTable>((ushort)NftTableAttribute.Handle, "NFTA_TABLE_HANDLE", t => t.Handle, (t, v) => t.Handle = v),
        ScalarFields.UInt32<NftTable>((ushort)NftTableAttribute.Use, "NFTA_TABLE_USE", t => t.Use, (t, v) => t.Use = v));

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

    public uint? Flags { get; private set; }

    /// <summary>Kernel-assigned; present only on decoded tables.</summary>
    public ulong? Handle { get; private set; }

    /// <summary>Number of chains (and other objects) using the table; present only on decoded tables.</summary>
    public uint? Use { get; private set; }
}
