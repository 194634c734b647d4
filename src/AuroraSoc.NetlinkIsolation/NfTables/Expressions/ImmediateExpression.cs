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
        new VerdictOrValueField<ImmediateExpression>(
            (ushort)NftImmediateAttribute.Data, "NFTA_IMMEDIATE_DATA", e => e.IsVerdict ? e.Verdict : null, (e, v) => e.Verdict = v, e => e._value, (e, v) => e._value = v));

    private byte[]? _value;

    internal ImmediateExpression()
    {
    }

    /// <summary><c>[ immediate reg 0 VERDICT ]</c>.</summary>
    public static ImmediateExpression ForVerdict(NfVerdict verdict, string? chain = null)
        => new() { DestinationRegister = NftRegister.Verdict, Verdict = new NftVerdictData(verdict, chain) };

    public NftRegister DestinationRegister { get; private set; }

    public NftVerdictData Verdict { get; private set; }

    /// <summary>The constant a data load puts into its register; empty for a verdict.</summary>
    public ReadOnlySpan<byte> Value => _value;

    /// <summary>True for a verdict, false for a load of constant bytes into a data register.</summary>
    public bool IsVerdict => _value is null;

    /// <summary><c>[ immediate reg DREG 0x… ]</c>: constant bytes into a data register.</summary>
    public static ImmediateExpression LoadValue(NftRegister destination, ReadOnlySpan<byte> value)
        => new() { DestinationRegister = destination, _value = value.ToArray() };

    private protected override ObjectSchema<ImmediateExpression> Schema => Description;

    public override string ToString()
        => IsVerdict ? $"[ immediate reg {(uint)DestinationRegister} {Verdict.Code} ]" : $"[ immediate reg {(uint)DestinationRegister} 0x{Convert.ToHexString(_value!)} ]";
}
