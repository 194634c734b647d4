using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>bitwise: <c>dreg = (sreg &amp; mask) ^ xor</c>, used for ct state bit tests and non-byte-aligned prefixes.</summary>
internal sealed class BitwiseExpression : NftExpression<BitwiseExpression>
{
    // libnftnl nftnl_expr_bitwise_build order: SREG, DREG, OP, LEN, MASK, XOR, DATA. nft 1.0.6 leaves OP unset
    // for mask/xor (the kernel defaults to NFT_BITWISE_MASK_XOR, kernel >= 5.6 dumps it back).
    internal static readonly ObjectSchema<BitwiseExpression> Description = new(
        "bitwise",
        ScalarFields.UInt32<BitwiseExpression>((ushort)NftBitwiseAttribute.SourceRegister, "NFTA_BITWISE_SREG", e => (uint)e.SourceRegister, (e, v) => e.SourceRegister = (NftRegister)v),
        ScalarFields.UInt32<BitwiseExpression>((ushort)NftBitwiseAttribute.DestinationRegister, "NFTA_BITWISE_DREG", e => (uint)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        ScalarFields.UInt32<BitwiseExpression>((ushort)NftBitwiseAttribute.Operation, "NFTA_BITWISE_OP", e => (uint?)e.Operation, (e, v) => e.Operation = (NftBitwiseOperation)v),
        ScalarFields.UInt32<BitwiseExpression>((ushort)NftBitwiseAttribute.Length, "NFTA_BITWISE_LEN", e => e.Length, (e, v) => e.Length = v),
        new DataValueField<BitwiseExpression>((ushort)NftBitwiseAttribute.Mask, "NFTA_BITWISE_MASK", e => e._mask, (e, v) => e._mask = v),
        new DataValueField<BitwiseExpression>((ushort)NftBitwiseAttribute.Xor, "NFTA_BITWISE_XOR", e => e._xor, (e, v) => e._xor = v));

    private byte[] _mask = [];
    private byte[] _xor = [];

    internal BitwiseExpression()
    {
    }

    /// <summary><c>[ bitwise reg R = ( reg R &amp; MASK ) ^ XOR ]</c> over <c>mask.Length</c> bytes.</summary>
    public static BitwiseExpression MaskXor(ReadOnlySpan<byte> mask, ReadOnlySpan<byte> xor, NftRegister register = NftRegister.Reg1)
    {
        if (mask.Length != xor.Length)
        {
            throw new ArgumentException("mask and xor must have the same length.", nameof(xor));
        }

        return new() { SourceRegister = register, DestinationRegister = register, Length = (uint)mask.Length, _mask = mask.ToArray(), _xor = xor.ToArray() };
    }

    public NftRegister SourceRegister { get; private set; }

    public NftRegister DestinationRegister { get; private set; }

    /// <summary>Null when not sent (nft 1.0.6 does not send it for mask/xor); the kernel reports it when dumping.</summary>
    public NftBitwiseOperation? Operation { get; private set; }

    public uint Length { get; private set; }

    public ReadOnlySpan<byte> Mask => _mask;

    public ReadOnlySpan<byte> Xor => _xor;

    /// <summary>The same operation as <paramref name="other"/>, ignoring whether NFTA_BITWISE_OP was spelled out.</summary>
    public bool IsSameMaskXor(BitwiseExpression other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return (Operation ?? NftBitwiseOperation.MaskXor) == NftBitwiseOperation.MaskXor
            && (other.Operation ?? NftBitwiseOperation.MaskXor) == NftBitwiseOperation.MaskXor
            && SourceRegister == other.SourceRegister && DestinationRegister == other.DestinationRegister
            && Length == other.Length && Mask.SequenceEqual(other.Mask) && Xor.SequenceEqual(other.Xor);
    }

    public override bool IsEquivalentTo(NftExpression other) => other is BitwiseExpression bitwise && IsSameMaskXor(bitwise);

    private protected override ObjectSchema<BitwiseExpression> Schema => Description;

    public override string ToString()
        => $"[ bitwise reg {(uint)DestinationRegister} = ( reg {(uint)SourceRegister} & 0x{Convert.ToHexString(_mask)} ) ^ 0x{Convert.ToHexString(_xor)} ]";
}
