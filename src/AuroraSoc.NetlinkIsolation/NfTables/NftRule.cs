using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>An nf_tables rule: a list of expressions evaluated in order within a chain.</summary>
public sealed class NftRule
{
    // What follows the table and the chain on NEWRULE.
    private static readonly AttributeField<NftRule>[] BodyFields =
    [
        ScalarFields.UInt64<NftRule>((ushort)NftRuleAttribute.Handle, "NFTA_RULE_HANDLE", r => r.Handle, (r, v) => r.Handle = v),
        new ExpressionListField((ushort)NftRuleAttribute.Expressions, "NFTA_RULE_EXPRESSIONS"),
        new BinaryField<NftRule>((ushort)NftRuleAttribute.UserData, "NFTA_RULE_USERDATA", r => r._userData, (r, v) => r._userData = v),
    ];

    // nft 1.0.6 order on NEWRULE: TABLE, CHAIN, EXPRESSIONS, USERDATA (the comment).
    internal static readonly ObjectSchema<NftRule> Description = new(
        "rule",
        [
            new StringField<NftRule>((ushort)NftRuleAttribute.Table, "NFTA_RULE_TABLE", r => r.Table, (r, v) => r.Table = v),
            new StringField<NftRule>((ushort)NftRuleAttribute.Chain, "NFTA_RULE_CHAIN", r => r.Chain, (r, v) => r.Chain = v),
            .. BodyFields,
        ]);

    /// <summary>The attributes after NFTA_RULE_TABLE and the chain's: a rule that names its chain by id writes these after its own two.</summary>
    internal static readonly ObjectSchema<NftRule> Body = new("rule body", BodyFields);

    private IReadOnlyList<NftExpression> _expressions;
    private byte[]? _userData;

    /// <summary>A rule of <paramref name="chain"/> made of <paramref name="expressions"/>, evaluated in order.</summary>
    /// <param name="family">The table's family.</param>
    /// <param name="table">The table's name.</param>
    /// <param name="chain">The chain's name.</param>
    /// <param name="expressions">The rule's expressions.</param>
    public NftRule(NfProtocolFamily family, string table, string chain, IReadOnlyList<NftExpression> expressions)
    {
        ArgumentNullException.ThrowIfNull(expressions);
        Family = family;
        Table = table;
        Chain = chain;
        _expressions = expressions;
    }

    internal NftRule()
    {
        Table = string.Empty;
        Chain = string.Empty;
        _expressions = [];
    }

    /// <summary>The family of the rule's table.</summary>
    public NfProtocolFamily Family { get; internal set; }

    /// <summary>The name of the rule's table.</summary>
    public string Table { get; private set; }

    /// <summary>The name of the rule's chain.</summary>
    public string Chain { get; private set; }

    /// <summary>The kernel's handle of the rule; null when not read from the kernel.</summary>
    public ulong? Handle { get; private set; }

    /// <summary>The rule's expressions, in the order the kernel evaluates them.</summary>
    public IReadOnlyList<NftExpression> Expressions => _expressions;

    /// <summary>NFTA_RULE_USERDATA as stored (nft keeps the rule's comment there); empty when none.</summary>
    public ReadOnlySpan<byte> UserData => _userData;

    /// <summary>The rule's nft comment, or null when it has none.</summary>
    public string? Comment => _userData is null ? null : NftUserData.DecodeComment(_userData);

    /// <summary>This rule as a NEWRULE would append it again: its expressions and user data, without its handle.</summary>
    internal NftRule ToNewRule() => new(Family, Table, Chain, _expressions) { _userData = _userData };

    /// <summary>True when both rules sit in the same chain and do the same thing, expression by expression.</summary>
    public bool IsEquivalentTo(NftRule other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.Family != Family || other.Table != Table || other.Chain != Chain || other._expressions.Count != _expressions.Count)
        {
            return false;
        }

        for (int i = 0; i < _expressions.Count; i++)
        {
            if (!_expressions[i].IsEquivalentTo(other._expressions[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The expression list; a nested attribute whose elements each describe themselves.</summary>
    private sealed class ExpressionListField(ushort type, string kernelName) : AttributeField<NftRule>(type, kernelName)
    {
        public override void Write(ref NetlinkWriter writer, NftRule value)
        {
            AttributeToken list = writer.BeginNested(Type);
            IReadOnlyList<NftExpression> expressions = value._expressions;
            for (int i = 0; i < expressions.Count; i++)
            {
                expressions[i].Write(ref writer);
            }

            writer.EndNested(list);
        }

        public override bool Read(in NetlinkAttributeReader reader, NftRule target)
        {
            target._expressions = NftExpressionDecoder.DecodeList(reader.Nested());
            return true;
        }
    }
}
