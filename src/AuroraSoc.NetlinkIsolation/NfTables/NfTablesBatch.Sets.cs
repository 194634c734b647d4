using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;

namespace AuroraSoc.NetlinkIsolation.NfTables;

// Sets and their elements.
internal sealed partial class NfTablesBatch
{
    /// <summary>
    /// Bytes one NFTA_SET_ELEM_LIST_ELEMENTS may fill before a new NEWSETELEM message starts: an attribute's length is
    /// 16 bits (struct nlattr), so a large set is split across messages of the same batch (netlink-pitfalls §9).
    /// </summary>
    internal const int MaxElementListBytes = ushort.MaxValue - MaxElementBytes;

    // The largest element this project writes: FLAGS (8) + KEY and KEY_END (2 × 24 for an IPv6 . port key) + USERDATA (12)
    // + the element's own header, rounded up with room to spare.
    private const int MaxElementBytes = 256;

    /// <summary>NFT_MSG_NEWSET with NLM_F_CREATE, as nft 1.0.6 sends <c>add set</c>.</summary>
    public void AddSet(NftSet set)
    {
        ArgumentNullException.ThrowIfNull(set);
        var writer = StartMessage(NftMessageType.NewSet, NetlinkMessageFlags.Create, set.Family, out MessageToken token);
        NftSet.Description.Write(ref writer, set);
        writer.EndMessage(token);
    }

    /// <summary>
    /// The set's elements as NFT_MSG_NEWSETELEM messages with NLM_F_CREATE: as many per message as fit one element list
    /// (<see cref="MaxElementListBytes"/>), each naming the set by name and, for a set of this batch, by id. Every message
    /// stays in this batch, so the whole set still commits in one transaction.
    /// </summary>
    /// <returns>How many NEWSETELEM messages were written.</returns>
    public int AddSetElements(NftSet set, IReadOnlyList<NftSetElement> elements, int maxListBytes = MaxElementListBytes)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(elements);
        int next = 0;
        int messages = 0;
        while (next < elements.Count)
        {
            var writer = StartMessage(NftMessageType.NewSetElem, NetlinkMessageFlags.Create, set.Family, out MessageToken token);
            writer.WriteString((ushort)NftSetElementListAttribute.Table, set.Table);
            writer.WriteString((ushort)NftSetElementListAttribute.Set, set.Name);
            if (set.Id is uint id)
            {
                writer.WriteUInt32BigEndian((ushort)NftSetElementListAttribute.SetId, id);
            }

            AttributeToken list = writer.BeginNested((ushort)NftSetElementListAttribute.Elements);

            // nft numbers the element attributes 1, 2, 3 … within each list; the kernel ignores the number.
            ushort index = 0;
            do
            {
                AttributeToken element = writer.BeginNested(++index);
                NftSetElement.Description.Write(ref writer, elements[next++]);
                writer.EndNested(element);
            }
            while (next < elements.Count && writer.Position - list.Offset <= maxListBytes);

            writer.EndNested(list);
            writer.EndMessage(token);
            messages++;
        }

        return messages;
    }
}
