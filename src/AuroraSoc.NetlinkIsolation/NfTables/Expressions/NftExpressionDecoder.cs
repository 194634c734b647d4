using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Schema;

namespace AuroraSoc.NetlinkIsolation.NfTables.Expressions;

/// <summary>Turns NFTA_RULE_EXPRESSIONS back into expression objects through the same schemas that encode them.</summary>
internal static class NftExpressionDecoder
{
    /// <summary>Decodes the elements of an NFTA_RULE_EXPRESSIONS list.</summary>
    public static List<NftExpression> DecodeList(NetlinkAttributeReader list)
    {
        var expressions = new List<NftExpression>();
        while (list.Read())
        {
            if (list.Type != (ushort)NftListAttribute.Element)
            {
                throw new NetlinkProtocolException($"NFTA_RULE_EXPRESSIONS holds attribute {list.Type} where NFTA_LIST_ELEM was expected.");
            }

            expressions.Add(DecodeElement(list.Nested()));
        }

        return expressions;
    }

    /// <summary>Decodes one NFTA_LIST_ELEM { NFTA_EXPR_NAME, NFTA_EXPR_DATA }.</summary>
    public static NftExpression DecodeElement(NetlinkAttributeReader element)
    {
        string? name = null;
        ReadOnlySpan<byte> data = default;
        bool hasData = false;
        while (element.Read())
        {
            switch (element.Type)
            {
                case (ushort)NftExpressionAttribute.Name:
                    name = element.GetString();
                    break;
                case (ushort)NftExpressionAttribute.Data:
                    data = element.Value;
                    hasData = true;
                    break;
            }
        }

        if (name is null)
        {
            throw new NetlinkProtocolException("expression without NFTA_EXPR_NAME.");
        }

        NftExpression? decoded = name switch
        {
            "meta" => Decode(MetaExpression.Description, new MetaExpression(), data),
            "cmp" => Decode(CmpExpression.Description, new CmpExpression(), data),
            "ct" => Decode(CtExpression.Description, new CtExpression(), data),
            "bitwise" => Decode(BitwiseExpression.Description, new BitwiseExpression(), data),
            "payload" => Decode(PayloadExpression.Description, new PayloadExpression(), data),
            "immediate" => Decode(ImmediateExpression.Description, new ImmediateExpression(), data),
            "socket" => Decode(SocketExpression.Description, new SocketExpression(), data),
            "reject" => Decode(RejectExpression.Description, new RejectExpression(), data),
            "counter" => Decode(CounterExpression.Description, new CounterExpression(), data),
            "lookup" => Decode(LookupExpression.Description, new LookupExpression(), data),
            "dynset" => Decode(DynsetExpression.Description, new DynsetExpression(), data),
            "limit" => Decode(LimitExpression.Description, new LimitExpression(), data),
            "log" => Decode(LogExpression.Description, new LogExpression(), data),
            _ => null,
        };

        return decoded ?? new OpaqueExpression(name, hasData ? data : default);
    }

    private static T? Decode<T>(ObjectSchema<T> schema, T target, ReadOnlySpan<byte> data)
        where T : NftExpression
        => schema.Read(new NetlinkAttributeReader(data), target, requireModeled: true) ? target : null;
}
