using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Schema;

/// <summary>
/// One attribute of a kernel object, described once: its NFTA_* type, its kernel name, its wire form, and how
/// it maps to a property. The same description writes the attribute and reads it back, so encoder and decoder
/// cannot drift apart.
/// </summary>
internal abstract class AttributeField<TObject>
{
    protected AttributeField(ushort type, string kernelName)
    {
        Type = type;
        KernelName = kernelName;
    }

    public ushort Type { get; }

    /// <summary>The uapi name, e.g. "NFTA_CMP_DATA": used in error messages and debug output.</summary>
    public string KernelName { get; }

    /// <summary>Writes the attribute when the object has a value for it.</summary>
    public abstract void Write(ref NetlinkWriter writer, TObject value);

    /// <summary>
    /// Reads the attribute the reader is positioned on into <paramref name="target"/>. False when the attribute has
    /// a form this project does not model (the caller keeps the object opaque); malformed input throws.
    /// </summary>
    public abstract bool Read(in NetlinkAttributeReader reader, TObject target);

    /// <summary>Names a nested attribute inside this one (for extended-ack offsets); null when not nested.</summary>
    public virtual string? NameNested(ushort nestedType) => null;
}
