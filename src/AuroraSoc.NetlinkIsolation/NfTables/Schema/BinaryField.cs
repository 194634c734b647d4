using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Schema;

/// <summary>
/// An attribute whose value is opaque bytes (NLA_BINARY), kept exactly as read so that re-encoding reproduces it:
/// the user data nft stores on tables, chains and rules (comments and nft's own annotations).
/// </summary>
internal sealed class BinaryField<TObject>(ushort type, string kernelName, Func<TObject, byte[]?> get, Action<TObject, byte[]> set)
    : AttributeField<TObject>(type, kernelName)
{
    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        byte[]? field = get(value);
        if (field is not null)
        {
            writer.WriteAttribute(Type, field);
        }
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target)
    {
        set(target, reader.Value.ToArray());
        return true;
    }
}
