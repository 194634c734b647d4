using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>payload: loads <c>Length</c> bytes at <c>Offset</c> from a header (network, transport …) into a register.</summary>
internal sealed class PayloadExpression : NftExpression<PayloadExpression>
{
    // libnftnl nftnl_expr_payload_build order: SREG, DREG, BASE, OFFSET, LEN, CSUM_TYPE, CSUM_OFFSET, CSUM_FLAGS.
    internal static readonly ObjectSchema<PayloadExpression> Description = new(
        "payload",
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.SourceRegister, "NFTA_PAYLOAD_SREG", e => (uint?)e.SourceRegister, (e, v) => e.SourceRegister = (NftRegister)v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.DestinationRegister, "NFTA_PAYLOAD_DREG", e => (uint?)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.Base, "NFTA_PAYLOAD_BASE", e => (uint)e.Base, (e, v) => e.Base = (NftPayloadBase)v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.Offset, "NFTA_PAYLOAD_OFFSET", e => e.Offset, (e, v) => e.Offset = v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.Length, "NFTA_PAYLOAD_LEN", e => e.Length, (e, v) => e.Length = v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.ChecksumType, "NFTA_PAYLOAD_CSUM_TYPE", e => e.ChecksumType, (e, v) => e.ChecksumType = v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.ChecksumOffset, "NFTA_PAYLOAD_CSUM_OFFSET", e => e.ChecksumOffset, (e, v) => e.ChecksumOffset = v),
        ScalarFields.UInt32<PayloadExpression>((ushort)NftPayloadAttribute.ChecksumFlags, "NFTA_PAYLOAD_CSUM_FLAGS", e => e.ChecksumFlags, (e, v) => e.ChecksumFlags = v));

    internal PayloadExpression()
    {
    }

    /// <summary><c>[ payload load LEN b @ BASE + OFFSET => reg DREG ]</c>.</summary>
    public static PayloadExpression Load(NftPayloadBase payloadBase, uint offset, uint length, NftRegister destination = NftRegister.Reg1)
        => new() { Base = payloadBase, Offset = offset, Length = length, DestinationRegister = destination };

    public NftRegister? SourceRegister { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public NftPayloadBase Base { get; private set; }

    public uint Offset { get; private set; }

    public uint Length { get; private set; }

    public uint? ChecksumType { get; private set; }

    public uint? ChecksumOffset { get; private set; }

    public uint? ChecksumFlags { get; private set; }

    private protected override ObjectSchema<PayloadExpression> Schema => Description;

    public override string ToString() => $"[ payload load {Length}b @ {Base} + {Offset} => reg {(uint?)DestinationRegister} ]";
}
