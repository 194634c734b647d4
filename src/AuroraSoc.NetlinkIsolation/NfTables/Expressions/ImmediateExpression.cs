using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>immediate: loads a constant into a register; into the verdict register it is the rule's verdict.</summary>
internal sealed class ImmediateExpression : NftExpression<ImmediateExpression>
{
    // libnftnl nftnl_expr_immediate_build order: DREG, DATA.
    internal static readonly ObjectSchema<ImmediateExpression> Description = new(
        "immediate",
        ScalarFields.UInt32<ImmediateExpression>((ushort)NftImmediateAttribute.DestinationRegister, "NFTA_IMMEDIATE_DREG", e => (uint)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        new VerdictField<ImmediateExpression>((ushort)NftImmediateAttribute.Data, "NFTA_IMMEDIATE_DATA", e => e.Verdict, (e, v) => e.Verdict = v));

    internal ImmediateExpression()
    {
    }

    /// <summary><c>[ immediate reg 0 VERDICT ]</c>.</summary>
    public static ImmediateExpression ForVerdict(NfVerdict verdict, string? chain = null)
        => new() { DestinationRegister = NftRegister.Verdict, Verdict = new NftVerdictData(verdict, chain) };

    public NftRegister DestinationRegister { get; private set; }

    public NftVerdictData Verdict { get; private set; }

    private protected override ObjectSchema<ImmediateExpression> Schema => Description;

    public override string ToString() => $"[ immediate reg {(uint)DestinationRegister} {Verdict.Code} ]";
}
