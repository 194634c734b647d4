using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// One element of a set (inside NFTA_SET_ELEM_LIST_ELEMENTS). In an interval set without concatenation a range is two
/// elements: its first key, and the first key past it flagged NFT_SET_ELEM_INTERVAL_END (nft_set_rbtree.c); a
/// concatenated interval set carries both ends on one element, the last key in NFTA_SET_ELEM_KEY_END
/// (nft_set_pipapo.c). Keys are the raw register bytes, network order, each concatenated field padded to 4 bytes. In a set
/// with a per-element statement (a recording ledger) an element carries that statement with its state, its counter; an
/// element created with a counter's values is how a re-commit carries the ledger over.
/// </summary>
internal sealed class NftSetElement
{
    // libnftnl nftnl_set_elem_nlmsg_build_payload order: FLAGS, (TIMEOUT, EXPIRATION,) KEY, KEY_END, (DATA, ...) USERDATA, EXPR.
    internal static readonly ObjectSchema<NftSetElement> Description = new(
        "set element",
        ScalarFields.UInt32<NftSetElement>((ushort)NftSetElementAttribute.Flags, "NFTA_SET_ELEM_FLAGS", e => (uint?)e.Flags, (e, v) => e.Flags = (NftSetElementFlags)v),
        new DataValueField<NftSetElement>((ushort)NftSetElementAttribute.Key, "NFTA_SET_ELEM_KEY", e => e.Key, (e, v) => e.Key = v),
        new DataValueField<NftSetElement>((ushort)NftSetElementAttribute.KeyEnd, "NFTA_SET_ELEM_KEY_END", e => e.KeyEnd, (e, v) => e.KeyEnd = v),
        new BinaryField<NftSetElement>((ushort)NftSetElementAttribute.UserData, "NFTA_SET_ELEM_USERDATA", e => e.UserData, (e, v) => e.UserData = v),
        new NestedExpressionField<NftSetElement>((ushort)NftSetElementAttribute.Expression, "NFTA_SET_ELEM_EXPR", e => e.Statement, (e, v) => e.Statement = v));

    /// <summary>
    /// NFTA_SET_ELEM_USERDATA nft writes on the start of an interval that runs to the last key (it sends no end element):
    /// NFTNL_UDATA_SET_ELEM_FLAGS = NFTNL_SET_ELEM_F_INTERVAL_OPEN, one TLV of type 1, length 4, value 1 in host order
    /// (libnftnl udata.h; captured in tests/TestVectors/named-sets-v4.request.hex).
    /// </summary>
    internal static readonly byte[] OpenIntervalUserData = [1, 4, 1, 0, 0, 0];

    public NftSetElement(byte[] key, byte[]? keyEnd = null, NftSetElementFlags? flags = null, byte[]? userData = null, NftExpression? statement = null)
    {
        Key = key;
        KeyEnd = keyEnd;
        Flags = flags;
        UserData = userData;
        Statement = statement;
    }

    internal NftSetElement()
    {
    }

    public byte[]? Key { get; private set; }

    /// <summary>The last key of the range, on concatenated interval sets.</summary>
    public byte[]? KeyEnd { get; private set; }

    public NftSetElementFlags? Flags { get; private set; }

    public byte[]? UserData { get; private set; }

    /// <summary>The element's own statement (its counter); null when the set has none.</summary>
    public NftExpression? Statement { get; private set; }

    /// <summary>The element's counter values, (0, 0) when it has no counter.</summary>
    public (ulong Packets, ulong Bytes) Counted => Statement is CounterExpression counter ? (counter.Packets ?? 0, counter.Bytes ?? 0) : (0, 0);

    /// <summary>
    /// Ascending by key; at an equal key an interval's end comes before the next interval's start (where two ranges touch,
    /// as nft leaves them), so walking the sorted elements pairs every start with its own end.
    /// </summary>
    public static readonly Comparison<NftSetElement> ByKey = static (a, b) =>
    {
        int order = a.Key.AsSpan().SequenceCompareTo(b.Key);
        return order != 0 ? order : (b.IsIntervalEnd ? 1 : 0) - (a.IsIntervalEnd ? 1 : 0);
    };

    /// <summary>True for the element that closes an interval: its key is the first one past the range.</summary>
    public bool IsIntervalEnd => Flags is { } flags && (flags & NftSetElementFlags.IntervalEnd) != 0;
}
