using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>lookup: the rule goes on only when the register's key is an element of the named set.</summary>
internal sealed class LookupExpression : NftExpression<LookupExpression>
{
    // libnftnl nftnl_expr_lookup_build order: SREG, DREG, SET, SET_ID, FLAGS; nft 1.0.6 sends SREG, SET, SET_ID (checked against
    // tests/TestVectors/named-sets-v4.request.hex). The kernel dumps SET, SREG and FLAGS (0), never the batch-local SET_ID.
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

    /// <summary><c>[ lookup reg SREG set NAME ]</c>, naming a set of the same batch also by its id.</summary>
    public static LookupExpression InSet(string setName, uint? setId, NftRegister source = NftRegister.Reg1)
        => new() { SetName = setName, SetId = setId, SourceRegister = source };

    public NftRegister SourceRegister { get; private set; }

    public NftRegister? DestinationRegister { get; private set; }

    public string SetName { get; private set; }

    public uint? SetId { get; private set; }

    public uint? Flags { get; private set; }

    private protected override ObjectSchema<LookupExpression> Schema => Description;

    /// <summary>Same set, same registers, same flags (absent = 0); the set id only names the set inside one batch.</summary>
    public override bool IsEquivalentTo(NftExpression other)
        => other is LookupExpression lookup && lookup.SetName == SetName && lookup.SourceRegister == SourceRegister
            && lookup.DestinationRegister == DestinationRegister && (lookup.Flags ?? 0) == (Flags ?? 0);

    public override string ToString() => $"[ lookup reg {(uint)SourceRegister} set {SetName} ]";
}
