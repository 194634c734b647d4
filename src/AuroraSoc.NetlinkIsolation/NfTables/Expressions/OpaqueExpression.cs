using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>
/// An expression this project does not model (or models only in part), kept with its raw NFTA_EXPR_DATA bytes
/// so that decoding never silently drops part of a rule and re-encoding reproduces it exactly.
/// </summary>
internal sealed class OpaqueExpression : NftExpression
{
    private readonly byte[] _data;

    public OpaqueExpression(string name, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        _data = data.ToArray();
    }

    public override string Name { get; }

    /// <summary>The raw attributes inside NFTA_EXPR_DATA, as the kernel sent them.</summary>
    public ReadOnlySpan<byte> Data => _data;

    internal override void WriteData(ref NetlinkWriter writer) => writer.WriteRaw(_data);

    internal override string NameDataAttribute(ushort type) => $"{Name} attribute {type}";

    public override string ToString() => $"[ {Name} (not modelled) 0x{Convert.ToHexString(_data)} ]";
}
