using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>lookup: the rule goes on only when a register's value is (or, inverted, is not) an element of a set.</summary>
internal sealed class LookupExpression : NftExpression<LookupExpression>
{
    /// <summary>NFT_LOOKUP_F_INV (enum nft_lookup_flags): match when the value is not in the set.</summary>
    internal const uint Inverted = 1;

    // libnftnl nftnl_expr_lookup_build order: SREG, DREG, SET, SET_ID, FLAGS (checked against nft 1.0.6's bytes in
    // tests/TestVectors/record-blocked.request.hex). The kernel dumps no SET_ID: it names the set it bound.
    internal static readonly ObjectSchema<LookupExpression> Description = new(
        "lookup",
        ScalarFields.UInt32<LookupExpression>((ushort)NftLookupAttribute.SourceRegister, "NFTA_LOOKUP_SREG", e => (uint)e.SourceRegister, (e, v) => e.SourceRegister = (NftRegister)v),
        ScalarFields.UInt32<LookupExpression>((ushort)NftLookupAttribute.DestinationRegister, "NFTA_LOOKUP_DREG", e => (uint?)e.DestinationRegister, (e, v) => e.DestinationRegister = (NftRegister)v),
        new StringField<LookupExpression>((ushort)NftLookupAttribute.Set, "NFTA_LOOKUP_SET", e => e.SetName, (e, v) => e.SetName = v),
        ScalarFields.UInt32<LookupExpression>((ushort)NftLookupAttribute.SetId, "NFTA_LOOKUP_SET_ID", e => e.SetId, (e, v) => e.SetId = v),
        ScalarFields.UInt32<LookupExpression>((ushort)NftLookupAttribute.Flags, "NFTA_LOOKUP_FLAGS", e => e.Flags, (e, v) => e.Flags = v));

    internal LookupExpression()
    {
        SetName = string.Empty;
    }

    /// <summary><c>[ lookup reg SREG set NAME ]</c> of a set created in the same batch with NFTA_SET_ID <paramref name="setId"/>.</summary>
    public static LookupExpression InSet(string setName, uint setId, bool inverted, NftRegister source = NftRegister.Reg1)
        => new() { SourceRegister = source, SetName = setName, SetId = setId, Flags = inverted ? Inverted : null };

    public NftRegister SourceRegister { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public string SetName { get; private set; }

    public uint? SetId { get; private set; }

    public uint? Flags { get; private set; }

    public bool IsInverted => ((Flags ?? 0) & Inverted) != 0;

    /// <summary>
    /// The same match: the same register, flags and set — an anonymous set (named <c>__set%d</c> when created, the
    /// kernel's <c>__set0</c> … when read) counts as the same set, since its contents decide, not its number.
    /// </summary>
    public override bool IsEquivalentTo(NftExpression other)
        => other is LookupExpression lookup && lookup.SourceRegister == SourceRegister && lookup.DestinationRegister == DestinationRegister
            && (lookup.Flags ?? 0) == (Flags ?? 0)
            && (lookup.SetName == SetName || (IsAnonymousName(lookup.SetName) && IsAnonymousName(SetName)));

    internal static bool IsAnonymousName(string name) => name.StartsWith("__set", StringComparison.Ordinal);

    private protected override ObjectSchema<LookupExpression> Schema => Description;

    public override string ToString() => $"[ lookup reg {(uint)SourceRegister} set {SetName}{(IsInverted ? " 0x1" : string.Empty)} ]";
}
