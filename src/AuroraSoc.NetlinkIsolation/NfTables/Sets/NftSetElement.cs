using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Sets;

/// <summary>
/// One element of a set: its key (in the register layout: each part of a concatenation padded to 4 bytes) and, in a
/// set with a per-element statement, that statement with its state (the ledger's counter). An element can be created
/// with a counter's values, which is how a re-commit carries the ledger over.
/// </summary>
internal sealed class NftSetElement
{
    // libnftnl nftnl_set_elem_nlmsg_build order: FLAGS, TIMEOUT, EXPIRATION, KEY, KEY_END, DATA, USERDATA, EXPR.
    internal static readonly ObjectSchema<NftSetElement> Description = new(
        "set element",
        ScalarFields.UInt32<NftSetElement>((ushort)NftSetElementAttribute.Flags, "NFTA_SET_ELEM_FLAGS", e => e.Flags, (e, v) => e.Flags = v),
        new DataValueField<NftSetElement>((ushort)NftSetElementAttribute.Key, "NFTA_SET_ELEM_KEY", e => e._key, (e, v) => e._key = v),
        new NestedExpressionField<NftSetElement>((ushort)NftSetElementAttribute.Expression, "NFTA_SET_ELEM_EXPR", e => e.Statement, (e, v) => e.Statement = v));

    private byte[] _key;

    internal NftSetElement()
    {
        _key = [];
    }

    public NftSetElement(ReadOnlySpan<byte> key, NftExpression? statement = null)
    {
        _key = key.ToArray();
        Statement = statement;
    }

    public ReadOnlySpan<byte> Key => _key;

    public uint? Flags { get; private set; }

    /// <summary>The element's own statement (its counter); null when the set has none.</summary>
    public NftExpression? Statement { get; private set; }

    /// <summary>The element's counter values, (0, 0) when it has no counter.</summary>
    public (ulong Packets, ulong Bytes) Counted => Statement is CounterExpression counter ? (counter.Packets ?? 0, counter.Bytes ?? 0) : (0, 0);
}
