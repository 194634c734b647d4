using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>log: sends a copy of the packet to a userspace listener; with a group, over NFLOG (nfnetlink_log).</summary>
internal sealed class LogExpression : NftExpression<LogExpression>
{
    // libnftnl nftnl_expr_log_build order: PREFIX, GROUP, SNAPLEN, QTHRESHOLD, LEVEL, FLAGS; nft 1.0.6 sends only
    // GROUP for `log group N` (a 16-bit value in network order, nft_log.c).
    internal static readonly ObjectSchema<LogExpression> Description = new(
        "log",
        new StringField<LogExpression>((ushort)NftLogAttribute.Prefix, "NFTA_LOG_PREFIX", e => e.Prefix, (e, v) => e.Prefix = v),
        NarrowScalarFields.UInt16<LogExpression>((ushort)NftLogAttribute.Group, "NFTA_LOG_GROUP", e => e.Group, (e, v) => e.Group = v),
        ScalarFields.UInt32<LogExpression>((ushort)NftLogAttribute.SnapLength, "NFTA_LOG_SNAPLEN", e => e.SnapLength, (e, v) => e.SnapLength = v),
        NarrowScalarFields.UInt16<LogExpression>((ushort)NftLogAttribute.QueueThreshold, "NFTA_LOG_QTHRESHOLD", e => e.QueueThreshold, (e, v) => e.QueueThreshold = v),
        ScalarFields.UInt32<LogExpression>((ushort)NftLogAttribute.Level, "NFTA_LOG_LEVEL", e => e.Level, (e, v) => e.Level = v),
        ScalarFields.UInt32<LogExpression>((ushort)NftLogAttribute.Flags, "NFTA_LOG_FLAGS", e => e.Flags, (e, v) => e.Flags = v));

    internal LogExpression()
    {
    }

    /// <summary><c>log group GROUP</c>.</summary>
    public static LogExpression ToGroup(ushort group) => new() { Group = group };

    public string? Prefix { get; private set; }

    public ushort? Group { get; private set; }

    public uint? SnapLength { get; private set; }

    public ushort? QueueThreshold { get; private set; }

    public uint? Level { get; private set; }

    public uint? Flags { get; private set; }

    /// <summary>The kernel reports a zero queue threshold and snap length nft left out (nft_log_dump): the same log.</summary>
    public override bool IsEquivalentTo(NftExpression other)
        => other is LogExpression log && log.Prefix == Prefix && log.Group == Group && (log.SnapLength ?? 0) == (SnapLength ?? 0)
            && (log.QueueThreshold ?? 0) == (QueueThreshold ?? 0) && log.Level == Level && (log.Flags ?? 0) == (Flags ?? 0);

    private protected override ObjectSchema<LogExpression> Schema => Description;

    public override string ToString() => $"[ log group {Group} snaplen {SnapLength ?? 0} qthreshold {QueueThreshold ?? 0} ]";
}
