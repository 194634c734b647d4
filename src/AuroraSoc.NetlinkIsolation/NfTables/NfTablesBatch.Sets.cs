using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables.Sets;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// Sets and their elements in a transaction: NFT_MSG_NEWSET and NFT_MSG_NEWSETELEM as nft 1.0.6 sends them.
internal sealed partial class NfTablesBatch
{
    /// <summary>
    /// Elements per NEWSETELEM: an attribute's length is 16 bits (netlink-pitfalls.md §9), and a ledger element with its
    /// counter takes at most 84 bytes (IPv6 key of 24 bytes), so 512 of them stay well below 64 KiB.
    /// </summary>
    internal const int ElementsPerMessage = 512;

    /// <summary>NFT_MSG_NEWSET with NLM_F_CREATE, as nft 1.0.6 sends it.</summary>
    public void AddSet(NftSetDeclaration set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var writer = StartMessage(NftMessageType.NewSet, NetlinkMessageFlags.Create, set.Family, out MessageToken token);
        NftSetDeclaration.Description.Write(ref writer, set);
        writer.EndMessage(token);
    }

    /// <summary>
    /// NFT_MSG_NEWSETELEM with NLM_F_CREATE: <paramref name="count"/> elements from <paramref name="start"/> into the set,
    /// named by name and by its NFTA_SET_ID when this batch creates it (an anonymous set has no name yet).
    /// </summary>
    public void AddSetElements(NftSetDeclaration set, IReadOnlyList<NftSetElement> elements, int start, int count)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(elements);
        var writer = StartMessage(NftMessageType.NewSetElem, NetlinkMessageFlags.Create, set.Family, out MessageToken token);
        writer.WriteString((ushort)NftSetElementListAttribute.Table, set.Table);
        writer.WriteString((ushort)NftSetElementListAttribute.Set, set.Name);
        if (set.Id is uint id)
        {
            writer.WriteUInt32BigEndian((ushort)NftSetElementListAttribute.SetId, id);
        }

        AttributeToken list = writer.BeginNested((ushort)NftSetElementListAttribute.Elements);
        for (int i = start; i < start + count; i++)
        {
            // libnftnl numbers the elements of the list 1, 2, … where other lists say NFTA_LIST_ELEM; the kernel reads any
            // type (nla_for_each_nested), and nft's numbering is what the golden bytes hold.
            AttributeToken element = writer.BeginNested((ushort)(i - start + 1));
            NftSetElement.Description.Write(ref writer, elements[i]);
            writer.EndNested(element);
        }

        writer.EndNested(list);
        writer.EndMessage(token);
    }

    /// <summary>All of <paramref name="elements"/>, in as many NEWSETELEM messages as <see cref="ElementsPerMessage"/> needs.</summary>
    public void AddAllSetElements(NftSetDeclaration set, IReadOnlyList<NftSetElement> elements)
    {
        ArgumentNullException.ThrowIfNull(elements);
        for (int start = 0; start < elements.Count; start += ElementsPerMessage)
        {
            AddSetElements(set, elements, start, Math.Min(ElementsPerMessage, elements.Count - start));
        }
    }
}
