using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Sets;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// Reading sets and their elements: GETSET and GETSETELEM dumps.
internal sealed partial class NfTablesConnection
{
    /// <summary>The sets of a table (one GETSET dump), without their elements.</summary>
    public List<NftSetDeclaration> DumpSets(NfProtocolFamily family, string tableName)
    {
        List<NftSetDeclaration> sets = Dump(NftMessageType.GetSet, family, (ushort)NftSetAttribute.Table, tableName, NftSetDecoder.DecodeSet);
        sets.RemoveAll(s => s.Table != tableName || s.Family != family);
        return sets;
    }

    /// <summary>The elements of one set (one GETSETELEM dump), in the order the kernel lists them.</summary>
    public List<NftSetElement> DumpSetElements(NfProtocolFamily family, string tableName, string setName)
    {
        NetlinkWriter writer = _netlink.BeginRequest(NfNetlinkConstants.NfTablesType(NftMessageType.GetSetElem), NetlinkMessageFlags.Dump, out MessageToken token);
        writer.WriteNfGenMessage(family, 0);
        writer.WriteString((ushort)NftSetElementListAttribute.Table, tableName);
        writer.WriteString((ushort)NftSetElementListAttribute.Set, setName);
        writer.EndMessage(token);
        List<List<NftSetElement>> parts = _netlink.Dump(NftSetDecoder.DecodeElements);
        var elements = new List<NftSetElement>();
        foreach (List<NftSetElement> part in parts)
        {
            elements.AddRange(part);
        }

        return elements;
    }

    /// <summary>The table's sets, each with its elements (anonymous ones too: rules print their contents).</summary>
    public List<NftSetDeclaration> ReadSets(NfProtocolFamily family, string tableName)
    {
        List<NftSetDeclaration> sets = DumpSets(family, tableName);
        foreach (NftSetDeclaration set in sets)
        {
            set.Elements = DumpSetElements(family, tableName, set.Name);
        }

        return sets;
    }

    /// <summary>True when a rule looks up or updates a set: only then is a GETSET dump worth its round trip.</summary>
    private static bool RulesReferToSets(List<NftRule> rules)
    {
        foreach (NftRule rule in rules)
        {
            foreach (Expressions.NftExpression expression in rule.Expressions)
            {
                if (expression is Expressions.LookupExpression or Expressions.DynsetExpression)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
