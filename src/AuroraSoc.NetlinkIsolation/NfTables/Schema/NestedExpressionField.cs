using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables.Schema;

/// <summary>
/// One expression nested in an object's attribute as { NFTA_EXPR_NAME, NFTA_EXPR_DATA } — a set's per-element
/// statement (NFTA_SET_EXPR), an element's counter (NFTA_SET_ELEM_EXPR), a dynset's clone of them (NFTA_DYNSET_EXPR).
/// Decoded through the same expression schemas as a rule's expressions.
/// </summary>
internal sealed class NestedExpressionField<TObject>(ushort type, string kernelName, Func<TObject, NftExpression?> get, Action<TObject, NftExpression> set)
    : AttributeField<TObject>(type, kernelName)
{
    public override void Write(ref NetlinkWriter writer, TObject value)
    {
        NftExpression? expression = get(value);
        if (expression is null)
        {
            return;
        }

        AttributeToken outer = writer.BeginNested(Type);
        writer.WriteString((ushort)NftExpressionAttribute.Name, expression.Name);
        AttributeToken data = writer.BeginNested((ushort)NftExpressionAttribute.Data);
        expression.WriteData(ref writer);
        writer.EndNested(data);
        writer.EndNested(outer);
    }

    public override bool Read(in NetlinkAttributeReader reader, TObject target)
    {
        set(target, NftExpressionDecoder.DecodeElement(reader.Nested()));
        return true;
    }
}
