using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>limit: a token bucket; the rule goes on only while the rate (with its burst) is not exceeded.</summary>
internal sealed class LimitExpression : NftExpression<LimitExpression>
{
    /// <summary>NFT_LIMIT_PKTS (enum nft_limit_type): the rate counts packets.</summary>
    internal const uint PacketsType = 0;

    // libnftnl nftnl_expr_limit_build order: RATE, UNIT (seconds per unit: 1 = /second), BURST, TYPE, FLAGS.
    internal static readonly ObjectSchema<LimitExpression> Description = new(
        "limit",
        ScalarFields.UInt64<LimitExpression>((ushort)NftLimitAttribute.Rate, "NFTA_LIMIT_RATE", e => e.Rate, (e, v) => e.Rate = v),
        ScalarFields.UInt64<LimitExpression>((ushort)NftLimitAttribute.Unit, "NFTA_LIMIT_UNIT", e => e.UnitSeconds, (e, v) => e.UnitSeconds = v),
        ScalarFields.UInt32<LimitExpression>((ushort)NftLimitAttribute.Burst, "NFTA_LIMIT_BURST", e => e.Burst, (e, v) => e.Burst = v),
        ScalarFields.UInt32<LimitExpression>((ushort)NftLimitAttribute.Type, "NFTA_LIMIT_TYPE", e => e.Type, (e, v) => e.Type = v),
        ScalarFields.UInt32<LimitExpression>((ushort)NftLimitAttribute.Flags, "NFTA_LIMIT_FLAGS", e => e.Flags, (e, v) => e.Flags = v));

    internal LimitExpression()
    {
    }

    /// <summary><c>limit rate RATE/second burst BURST packets</c>.</summary>
    public static LimitExpression PacketsPerSecond(ulong rate, uint burst)
        => new() { Rate = rate, UnitSeconds = 1, Burst = burst, Type = PacketsType, Flags = 0 };

    public ulong Rate { get; private set; }

    public ulong UnitSeconds { get; private set; }

    public uint Burst { get; private set; }

    public uint Type { get; private set; }

    public uint Flags { get; private set; }

    private protected override ObjectSchema<LimitExpression> Schema => Description;

    public override string ToString() => $"[ limit rate {Rate}/{UnitSeconds}s burst {Burst} type {Type} flags 0x{Flags:x} ]";
}
