using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>counter: counts the packets and bytes that reach it. Its values are state, not configuration.</summary>
internal sealed class CounterExpression : NftExpression<CounterExpression>
{
    // libnftnl nftnl_expr_counter_build order: BYTES, PACKETS, each only when set. nft 1.0.6 sends neither for a new
    // counter; a counter created with values (evidence carried over a re-commit) sends both (nft_counter_do_init).
    internal static readonly ObjectSchema<CounterExpression> Description = new(
        "counter",
        ScalarFields.UInt64<CounterExpression>((ushort)NftCounterAttribute.Bytes, "NFTA_COUNTER_BYTES", e => e.Bytes, (e, v) => e.Bytes = v),
        ScalarFields.UInt64<CounterExpression>((ushort)NftCounterAttribute.Packets, "NFTA_COUNTER_PACKETS", e => e.Packets, (e, v) => e.Packets = v));

    internal CounterExpression()
    {
    }

    /// <summary><c>counter</c>: a new counter at zero, as nft sends it.</summary>
    public static CounterExpression Zero() => new();

    /// <summary>A counter that starts at the given values (zero values are sent as nft sends a new counter: not at all).</summary>
    public static CounterExpression StartingAt(ulong packets, ulong bytes)
        => packets == 0 && bytes == 0 ? new() : new() { Packets = packets, Bytes = bytes };

    public ulong? Packets { get; private set; }

    public ulong? Bytes { get; private set; }

    /// <summary>Any counter does what any other does: the values it holds are what it counted, not what it is.</summary>
    public override bool IsEquivalentTo(NftExpression other) => other is CounterExpression;

    private protected override ObjectSchema<CounterExpression> Schema => Description;

    public override string ToString() => $"[ counter pkts {Packets ?? 0} bytes {Bytes ?? 0} ]";
}
