using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>meta: loads packet metadata (interface index, nfproto, l4proto …) into a register.</summary>
internal sealed class MetaExpression : NftExpression<MetaExpression>
{
    // libnftnl nftnl_expr_meta_build order: KEY, DREG, SREG.
    internal static readonly ObjectSchema<MetaExpression> Description = new(
        "meta",
        ScalarFields.UInt32<MetaExpression>((ushort)NftMetaAttribute.Key, "NFTA_META_KEY", e => (uint)e.Key, (e, v) => e.Key = (NftMetaKey)v),
        ScalarFields.UInt32<MetaExpression>((ushort)NftMetaAttribute.DestinationRegister, "NFTA_META_DREG", e => (uint?)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        ScalarFields.UInt32<MetaExpression>((ushort)NftMetaAttribute.SourceRegister, "NFTA_META_SREG", e => (uint?)e.SourceRegister, (e, v) => e.SourceRegister = (NftRegister)v));

    internal MetaExpression()
    {
    }

    /// <summary>A load: <c>[ meta load KEY => reg DREG ]</c>.</summary>
    public static MetaExpression Load(NftMetaKey key, NftRegister destination = NftRegister.Reg1)
        => new() { Key = key, DestinationRegister = destination };

    public NftMetaKey Key { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public NftRegister? SourceRegister { get; private set; }

    private protected override ObjectSchema<MetaExpression> Schema => Description;

    public override string ToString() => $"[ meta load {Key} => reg {(uint?)DestinationRegister} ]";
}
