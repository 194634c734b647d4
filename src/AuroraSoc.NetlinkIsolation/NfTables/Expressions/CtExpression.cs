using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>ct: loads connection-tracking data (here: the state bits) into a register.</summary>
internal sealed class CtExpression : NftExpression<CtExpression>
{
    // libnftnl nftnl_expr_ct_build order: KEY, DREG, DIRECTION, SREG.
    internal static readonly ObjectSchema<CtExpression> Description = new(
        "ct",
        ScalarFields.UInt32<CtExpression>((ushort)NftCtAttribute.Key, "NFTA_CT_KEY", e => (uint)e.Key, (e, v) => e.Key = (NftCtKey)v),
        ScalarFields.UInt32<CtExpression>((ushort)NftCtAttribute.DestinationRegister, "NFTA_CT_DREG", e => (uint?)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        ScalarFields.Byte<CtExpression>((ushort)NftCtAttribute.Direction, "NFTA_CT_DIRECTION", e => e.Direction, (e, v) => e.Direction = v),
        ScalarFields.UInt32<CtExpression>((ushort)NftCtAttribute.SourceRegister, "NFTA_CT_SREG", e => (uint?)e.SourceRegister, (e, v) => e.SourceRegister = (NftRegister)v));

    internal CtExpression()
    {
    }

    /// <summary>A load: <c>[ ct load KEY => reg DREG ]</c>.</summary>
    public static CtExpression Load(NftCtKey key, NftRegister destination = NftRegister.Reg1)
        => new() { Key = key, DestinationRegister = destination };

    public NftCtKey Key { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public byte? Direction { get; private set; }

    public NftRegister? SourceRegister { get; private set; }

    private protected override ObjectSchema<CtExpression> Schema => Description;

    public override string ToString() => $"[ ct load {Key} => reg {(uint?)DestinationRegister} ]";
}
