using System.Diagnostics.CodeAnalysis;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>cmp: compares a register with constant data; the rule stops when the comparison fails.</summary>
internal sealed class CmpExpression : NftExpression<CmpExpression>
{
    // libnftnl nftnl_expr_cmp_build order: SREG, OP, DATA.
    internal static readonly ObjectSchema<CmpExpression> Description = new(
        "cmp",
        ScalarFields.UInt32<CmpExpression>((ushort)NftCmpAttribute.SourceRegister, "NFTA_CMP_SREG", e => (uint)e.SourceRegister, (e, v) => e.SourceRegister = (NftRegister)v),
        ScalarFields.UInt32<CmpExpression>((ushort)NftCmpAttribute.Operator, "NFTA_CMP_OP", e => (uint)e.Operator, (e, v) => e.Operator = (NftCmpOperator)v),
        new DataValueField<CmpExpression>((ushort)NftCmpAttribute.Data, "NFTA_CMP_DATA", e => e._data, (e, v) => e._data = v));

    private byte[] _data = [];

    internal CmpExpression()
    {
    }

    /// <summary><c>[ cmp OP reg SREG DATA ]</c>; <paramref name="data"/> is in the compared field's byte order.</summary>
    [SuppressMessage("Performance", "CA1819", Justification = "Immutable copy is taken.")]
    public static CmpExpression Create(NftCmpOperator op, ReadOnlySpan<byte> data, NftRegister source = NftRegister.Reg1)
        => new() { Operator = op, SourceRegister = source, _data = data.ToArray() };

    public NftRegister SourceRegister { get; private set; }

    public NftCmpOperator Operator { get; private set; }

    public ReadOnlySpan<byte> Data => _data;

    private protected override ObjectSchema<CmpExpression> Schema => Description;

    public override string ToString() => $"[ cmp {Operator} reg {(uint)SourceRegister} 0x{Convert.ToHexString(_data)} ]";
}
