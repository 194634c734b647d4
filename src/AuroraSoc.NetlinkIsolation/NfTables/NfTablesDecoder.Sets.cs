using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// NEWSET and NEWSETELEM, through the same schemas that encode them.
internal static partial class NfTablesDecoder
{
    public static NftSet DecodeSet(in NetlinkMessage message)
    {
        RequireType(message, NftMessageType.NewSet);
        var set = new NftSet { Family = message.NfFamily() };
        NftSet.Description.Read(message.NfAttributes(), set, requireModeled: false);
        return set;
    }

    /// <summary>One NEWSETELEM message (a GETSETELEM dump reply or a batch message): the set it names and its elements.</summary>
    public static NftSetElementList DecodeSetElements(in NetlinkMessage message)
    {
        RequireType(message, NftMessageType.NewSetElem);
        string table = string.Empty;
        string set = string.Empty;
        var elements = new List<NftSetElement>();
        NetlinkAttributeReader attributes = message.NfAttributes();
        while (attributes.Read())
        {
            switch (attributes.Type)
            {
                case (ushort)NftSetElementListAttribute.Table:
                    table = attributes.GetString();
                    break;
                case (ushort)NftSetElementListAttribute.Set:
                    set = attributes.GetString();
                    break;
                case (ushort)NftSetElementListAttribute.Elements:
                    NetlinkAttributeReader list = attributes.Nested();
                    while (list.Read())
                    {
                        var element = new NftSetElement();
                        NftSetElement.Description.Read(list.Nested(), element, requireModeled: false);
                        elements.Add(element);
                    }

                    break;
            }
        }

        return new NftSetElementList(message.NfFamily(), table, set, elements);
    }

    private static void CollectSetMessage(in NetlinkMessage message, NfProtocolFamily family, string tableName, List<NftSet> sets)
    {
        if ((NftMessageType)(message.Type & 0xff) == NftMessageType.NewSet)
        {
            NftSet set = DecodeSet(message);
            if (set.Family == family && set.Table == tableName)
            {
                sets.Add(set);
            }

            return;
        }

        NftSetElementList elements = DecodeSetElements(message);
        if (elements.Family == family && elements.Table == tableName)
        {
            AttachElements(sets, elements);
        }
    }

    /// <summary>
    /// Appends decoded elements to the set they name (a large set arrives in several messages). The last set of that
    /// name: in a batch every anonymous set is named <c>__set%d</c> and its elements follow its NEWSET; a dump names each
    /// set once.
    /// </summary>
    internal static void AttachElements(List<NftSet> sets, NftSetElementList elements)
    {
        for (int i = sets.Count - 1; i >= 0; i--)
        {
            NftSet set = sets[i];
            if (set.Name == elements.Set)
            {
                // The first message's list is fresh and becomes the set's; later ones append to it (linear, not quadratic).
                if (set.Elements is List<NftSetElement> collected)
                {
                    collected.AddRange(elements.Elements);
                }
                else
                {
                    set.Elements = elements.Elements;
                }

                return;
            }
        }
    }
}

/// <summary>The elements one NEWSETELEM message carries, and the set it names.</summary>
internal sealed record NftSetElementList(NfProtocolFamily Family, string Table, string Set, List<NftSetElement> Elements);
