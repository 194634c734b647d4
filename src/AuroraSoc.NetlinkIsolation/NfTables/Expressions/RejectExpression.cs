using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>reject: drops the packet and answers with a TCP reset or an ICMP error, so the sender fails at once.</summary>
internal sealed class RejectExpression : NftExpression<RejectExpression>
{
    // libnftnl nftnl_expr_reject_build order: TYPE, ICMP_CODE (an NLA_U8).
    internal static readonly ObjectSchema<RejectExpression> Description = new(
        "reject",
        ScalarFields.UInt32<RejectExpression>((ushort)NftRejectAttribute.Type, "NFTA_REJECT_TYPE", e => (uint)e.Type, (e, v) => e.Type = (NftRejectType)v),
        ScalarFields.Byte<RejectExpression>((ushort)NftRejectAttribute.IcmpCode, "NFTA_REJECT_ICMP_CODE", e => e.IcmpCode, (e, v) => e.IcmpCode = v));

    internal RejectExpression()
    {
    }

    /// <summary><c>reject with tcp reset</c> as nft 1.0.6 encodes it: type NFT_REJECT_TCP_RST, code 0.</summary>
    public static RejectExpression TcpReset() => new() { Type = NftRejectType.TcpReset, IcmpCode = 0 };

    public NftRejectType Type { get; private set; }

    public byte? IcmpCode { get; private set; }

    /// <summary>The kernel dumps NFTA_REJECT_ICMP_CODE only for ICMP rejects (nft_reject.c), so a TCP reset ignores it.</summary>
    public override bool IsEquivalentTo(NftExpression other)
        => other is RejectExpression reject && reject.Type == Type && (Type == NftRejectType.TcpReset || (reject.IcmpCode ?? 0) == (IcmpCode ?? 0));

    private protected override ObjectSchema<RejectExpression> Schema => Description;

    public override string ToString() => $"[ reject type {(uint)Type} code {IcmpCode} ]";
}
