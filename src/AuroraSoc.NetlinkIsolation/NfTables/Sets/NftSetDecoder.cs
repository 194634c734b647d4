using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables.Sets;

/// <summary>Decodes NFT_MSG_NEWSET and NFT_MSG_NEWSETELEM replies through the schemas that encode them.</summary>
internal static class NftSetDecoder
{
    public static NftSetDeclaration DecodeSet(in NetlinkMessage message)
    {
        NfTablesDecoder.RequireType(message, NftMessageType.NewSet);
        var set = new NftSetDeclaration { Family = message.NfFamily() };
        NftSetDeclaration.Description.Read(message.NfAttributes(), set, requireModeled: false);
        return set;
    }

    /// <summary>The elements of one NEWSETELEM message (a dump sends several, each with part of the set).</summary>
    public static List<NftSetElement> DecodeElements(in NetlinkMessage message)
    {
        NfTablesDecoder.RequireType(message, NftMessageType.NewSetElem);
        var elements = new List<NftSetElement>();
        NetlinkAttributeReader attributes = message.NfAttributes();
        while (attributes.Read())
        {
            if (attributes.Type != (ushort)NftSetElementListAttribute.Elements)
            {
                continue;
            }

            NetlinkAttributeReader list = attributes.Nested();
            while (list.Read())
            {
                // The kernel sends NFTA_LIST_ELEM; libnftnl numbers the elements instead: any type is an element.
                var element = new NftSetElement();
                NftSetElement.Description.Read(list.Nested(), element, requireModeled: false);
                elements.Add(element);
            }
        }

        return elements;
    }
}
