using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>
/// dynset: adds (or refreshes) an element keyed by a register to a set from the packet path. When the set is full the
/// element cannot be added and the rule stops there (nft_dynset_eval: NFT_BREAK), which is why the ledger update
/// stands in a rule of its own.
/// </summary>
internal sealed class DynsetExpression : NftExpression<DynsetExpression>
{
    /// <summary>NFT_DYNSET_OP_UPDATE (enum nft_dynset_ops).</summary>
    internal const uint UpdateOperation = 1;

    // libnftnl nftnl_expr_dynset_build order: SREG_KEY, SREG_DATA, OP, TIMEOUT, SET_NAME, SET_ID, EXPR(s), FLAGS
    // (checked against nft 1.0.6's bytes). The kernel adds, when dumping, the per-element statements it cloned from
    // the set (NFTA_DYNSET_EXPR): decoded, kept, and not part of what the rule does.
    internal static readonly ObjectSchema<DynsetExpression> Description = new(
        "dynset",
        ScalarFields.UInt32<DynsetExpression>((ushort)NftDynsetAttribute.KeySourceRegister, "NFTA_DYNSET_SREG_KEY", e => (uint)e.KeyRegister, (e, v) => e.KeyRegister = (NftRegister)v),
        ScalarFields.UInt32<DynsetExpression>((ushort)NftDynsetAttribute.DataSourceRegister, "NFTA_DYNSET_SREG_DATA", e => (uint?)e.DataRegister, (e, v) => e.DataRegister = (NftRegister)v),
        ScalarFields.UInt32<DynsetExpression>((ushort)NftDynsetAttribute.Operation, "NFTA_DYNSET_OP", e => e.Operation, (e, v) => e.Operation = v),
        ScalarFields.UInt64<DynsetExpression>((ushort)NftDynsetAttribute.Timeout, "NFTA_DYNSET_TIMEOUT", e => e.Timeout, (e, v) => e.Timeout = v),
        new StringField<DynsetExpression>((ushort)NftDynsetAttribute.SetName, "NFTA_DYNSET_SET_NAME", e => e.SetName, (e, v) => e.SetName = v),
        ScalarFields.UInt32<DynsetExpression>((ushort)NftDynsetAttribute.SetId, "NFTA_DYNSET_SET_ID", e => e.SetId, (e, v) => e.SetId = v),
        new NestedExpressionField<DynsetExpression>((ushort)NftDynsetAttribute.Expression, "NFTA_DYNSET_EXPR", e => e.ElementStatement, (e, v) => e.ElementStatement = v),
        new BinaryField<DynsetExpression>((ushort)NftDynsetAttribute.Expressions, "NFTA_DYNSET_EXPRESSIONS", e => e._elementStatements, (e, v) => e._elementStatements = v),
        ScalarFields.UInt32<DynsetExpression>((ushort)NftDynsetAttribute.Flags, "NFTA_DYNSET_FLAGS", e => e.Flags, (e, v) => e.Flags = v));

    private byte[]? _elementStatements;

    internal DynsetExpression()
    {
        SetName = string.Empty;
    }

    /// <summary><c>[ dynset update reg_key KEY set NAME ]</c> of a set created in the same batch with <paramref name="setId"/>.</summary>
    public static DynsetExpression Update(string setName, uint setId, NftRegister key = NftRegister.Reg1)
        => new() { KeyRegister = key, Operation = UpdateOperation, SetName = setName, SetId = setId };

    public NftRegister KeyRegister { get; private set; }

    public NftRegister? DataRegister { get; private set; }

    public uint Operation { get; private set; }

    public ulong? Timeout { get; private set; }

    public string SetName { get; private set; }

    public uint? SetId { get; private set; }

    /// <summary>The statement the kernel runs on the element (the set's counter), as the kernel reports it; null when sent.</summary>
    public NftExpression? ElementStatement { get; private set; }

    public uint? Flags { get; private set; }

    /// <summary>The same update of the same set: the set id of the batch and the kernel's clone of the set's statements aside.</summary>
    public override bool IsEquivalentTo(NftExpression other)
        => other is DynsetExpression dynset && dynset.SetName == SetName && dynset.KeyRegister == KeyRegister && dynset.DataRegister == DataRegister
            && dynset.Operation == Operation && (dynset.Timeout ?? 0) == (Timeout ?? 0) && (dynset.Flags ?? 0) == (Flags ?? 0);

    private protected override ObjectSchema<DynsetExpression> Schema => Description;

    public override string ToString() => $"[ dynset {(Operation == UpdateOperation ? "update" : "add")} reg_key {(uint)KeyRegister} set {SetName} ]";
}
