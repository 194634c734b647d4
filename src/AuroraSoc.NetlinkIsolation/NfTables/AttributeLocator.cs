using System.Text;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Interop.Structs;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.NfTables;

/// <summary>
/// Maps NLMSGERR_ATTR_OFFS — a byte offset into the message the kernel rejected — back to the attribute we wrote,
/// named through the same schemas that encoded it (nf_tables mostly reports offsets, not text: see nft's
/// mnl_batch_extack_cb). Example result: "NFTA_RULE_EXPRESSIONS/[2] cmp/NFTA_CMP_DATA/NFTA_DATA_VALUE".
/// </summary>
internal static class AttributeLocator
{
    public static string? Describe(ReadOnlySpan<byte> message, int offset)
    {
        try
        {
            var reader = new NetlinkMessageReader(message);
            if (!reader.Read())
            {
                return null;
            }

            NetlinkMessage current = reader.Current;
            int attributesStart = NetlinkMessageHeader.Size + NfNetlinkConstants.NfGenMessageSize;
            if (offset < attributesStart)
            {
                return offset < NetlinkMessageHeader.Size ? "nlmsghdr" : "nfgenmsg";
            }

            var path = new StringBuilder();
            Func<ushort, string> nameTop = (current.Type & 0xff) switch
            {
                (int)NftMessageType.NewTable or (int)NftMessageType.DelTable or (int)NftMessageType.GetTable => NftTable.Description.NameOf,
                (int)NftMessageType.NewChain or (int)NftMessageType.DelChain or (int)NftMessageType.GetChain => NftChain.Description.NameOf,
                (int)NftMessageType.NewRule or (int)NftMessageType.DelRule or (int)NftMessageType.GetRule => NftRule.Description.NameOf,
                _ => type => $"attribute {type}",
            };

            // NfAttributes refuses a message whose nlmsg_len leaves no room for nfgenmsg (caught below: null).
            NetlinkAttributeReader attributes = current.NfAttributes();
            while (attributes.Read())
            {
                int start = attributesStart + attributes.CurrentOffset;
                int end = attributesStart + attributes.BytesConsumed;
                if (offset < start || offset >= end)
                {
                    continue;
                }

                path.Append(nameTop(attributes.Type));
                if (attributes.Type == (ushort)NftRuleAttribute.Expressions && (current.Type & 0xff) == (int)NftMessageType.NewRule)
                {
                    DescribeExpression(attributes.Nested(), start + NetlinkConstants.NLA_HDRLEN, offset, path);
                }
                else if (attributes.Type == (ushort)NftChainAttribute.Hook && (current.Type & 0xff) == (int)NftMessageType.NewChain)
                {
                    DescribeNested(attributes.Nested(), start + NetlinkConstants.NLA_HDRLEN, offset, path, NftChain.Description.Find((ushort)NftChainAttribute.Hook)!.NameNested);
                }

                return path.ToString();
            }

            return null;
        }
        catch (NetlinkProtocolException)
        {
            return null;
        }
    }

    private static void DescribeExpression(NetlinkAttributeReader list, int listStart, int offset, StringBuilder path)
    {
        int index = 0;
        while (list.Read())
        {
            int start = listStart + list.CurrentOffset;
            int end = listStart + list.BytesConsumed;
            if (offset >= start && offset < end)
            {
                NftExpression expression = NftExpressionDecoder.DecodeElement(list.Nested());
                path.Append("/[").Append(index).Append("] ").Append(expression.Name);

                // Inside the element: NFTA_EXPR_NAME or NFTA_EXPR_DATA { expression attributes }.
                NetlinkAttributeReader element = list.Nested();
                int elementStart = start + NetlinkConstants.NLA_HDRLEN;
                while (element.Read())
                {
                    int s = elementStart + element.CurrentOffset;
                    int e = elementStart + element.BytesConsumed;
                    if (offset < s || offset >= e || element.Type != (ushort)NftExpressionAttribute.Data)
                    {
                        continue;
                    }

                    DescribeNested(element.Nested(), s + NetlinkConstants.NLA_HDRLEN, offset, path, expression.NameDataAttribute, "NFTA_DATA_VALUE");
                }

                return;
            }

            index++;
        }
    }

    private static void DescribeNested(NetlinkAttributeReader nested, int nestedStart, int offset, StringBuilder path, Func<ushort, string?> name, string? innerName = null)
    {
        while (nested.Read())
        {
            int start = nestedStart + nested.CurrentOffset;
            int end = nestedStart + nested.BytesConsumed;
            if (offset < start || offset >= end)
            {
                continue;
            }

            path.Append('/').Append(name(nested.Type) ?? $"attribute {nested.Type}");
            if (nested.IsNested && innerName is not null && offset >= start + NetlinkConstants.NLA_HDRLEN)
            {
                path.Append('/').Append(innerName);
            }

            return;
        }
    }
}
