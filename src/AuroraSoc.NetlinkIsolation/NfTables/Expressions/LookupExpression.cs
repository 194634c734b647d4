using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>lookup: the rule goes on only when the register's key is (or, inverted, is not) an element of the set.</summary>
internal sealed class LookupExpression : NftExpression<LookupExpression>
{
    /// <summary>NFT_LOOKUP_F_INV (enum nft_lookup_flags): match when the key is not in the set.</summary>
    internal const uint Inverted = 1;

    // libnftnl nftnl_expr_lookup_build order: SREG, DREG, SET, SET_ID, FLAGS; nft 1.0.6 sends SREG, SET, SET_ID (and FLAGS
    // when inverted), checked against tests/TestVectors/named-sets-v4.request.hex and record-blocked.request.hex. The kernel
    // dumps SET, SREG and FLAGS (0), never the batch-local SET_ID.
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

    /// <summary>
    /// <c>[ lookup reg SREG set NAME ]</c>, naming a set of the same batch also by its id (an anonymous set has no name
    /// until the kernel gives it one, so its id is how the rule finds it).
    /// </summary>
    public static LookupExpression InSet(string setName, uint? setId, NftRegister source = NftRegister.Reg1, bool inverted = false)
        => new() { SetName = setName, SetId = setId, SourceRegister = source, Flags = inverted ? Inverted : null };

    public NftRegister SourceRegister { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public string SetName { get; private set; }

    public uint? SetId { get; private set; }

    public uint? Flags { get; private set; }

    public bool IsInverted => ((Flags ?? 0) & Inverted) != 0;

    private protected override ObjectSchema<LookupExpression> Schema => Description;

    /// <summary>
    /// Same set, same registers, same flags (absent = 0); the set id only names the set inside one batch. An anonymous
    /// set (<c>__set%d</c> when created, the kernel's <c>__set0</c> … when read) counts as the same set, since its
    /// contents decide, not its number.
    /// </summary>
    public override bool IsEquivalentTo(NftExpression other)
        => other is LookupExpression lookup && lookup.SourceRegister == SourceRegister && lookup.DestinationRegister == DestinationRegister
            && (lookup.Flags ?? 0) == (Flags ?? 0)
            && (lookup.SetName == SetName || (IsAnonymousName(lookup.SetName) && IsAnonymousName(SetName)));

    internal static bool IsAnonymousName(string name) => name.StartsWith("__set", StringComparison.Ordinal);

    public override string ToString() => $"[ lookup reg {(uint)SourceRegister} set {SetName}{(IsInverted ? " 0x1" : string.Empty)} ]";
}
