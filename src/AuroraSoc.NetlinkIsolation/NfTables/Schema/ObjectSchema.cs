using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Schema;

/// <summary>
/// The attributes of one kind of kernel object, in the order nft 1.0.6 (libnftnl) writes them. Writing walks the
/// fields in order; reading matches attributes by type in whatever order the kernel sends them.
/// </summary>
internal sealed class ObjectSchema<TObject>
{
    private readonly AttributeField<TObject>[] _fields;

    public ObjectSchema(string name, params AttributeField<TObject>[] fields)
    {
        Name = name;
        _fields = fields;
    }

    public string Name { get; }

    public void Write(ref NetlinkWriter writer, TObject value)
    {
        foreach (AttributeField<TObject> field in _fields)
        {
            field.Write(ref writer, value);
        }
    }

    /// <summary>
    /// Reads every attribute into <paramref name="target"/>. With <paramref name="requireModeled"/>, returns false
    /// as soon as an attribute has no field or a form the field does not model, so the caller can keep the raw bytes.
    /// </summary>
    public bool Read(NetlinkAttributeReader reader, TObject target, bool requireModeled)
    {
        while (reader.Read())
        {
            AttributeField<TObject>? field = Find(reader.Type);
            if (field is null || !field.Read(in reader, target))
            {
                if (requireModeled)
                {
                    return false;
                }
            }
        }

        return true;
    }

    public AttributeField<TObject>? Find(ushort type)
    {
        foreach (AttributeField<TObject> field in _fields)
        {
            if (field.Type == type)
            {
                return field;
            }
        }

        return null;
    }

    /// <summary>The kernel name of an attribute type, or its number when this schema does not know it.</summary>
    public string NameOf(ushort type) => Find(type)?.KernelName ?? $"attribute {type}";
}
