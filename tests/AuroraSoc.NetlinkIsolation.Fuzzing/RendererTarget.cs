using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.Netlink;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Fuzzing;

/// <summary>
/// Decode, then render — what <c>aurorasoc-isolate show</c> and a status listing do with a table dump. The table is
/// the first NEWTABLE in the input (so a mutated name or family still reaches the renderer); every rule is also
/// printed alone, including rules of chains the dump did not contain. Only <see cref="NetlinkProtocolException"/>
/// may come out: the renderer itself prints anything that decoded, unknown shapes as comments.
/// </summary>
internal static class RendererTarget
{
    private static readonly ushort NewTable = NfNetlinkConstants.NfTablesType(NftMessageType.NewTable);

    public static void Run(ReadOnlySpan<byte> input)
    {
        try
        {
            (NfProtocolFamily family, string name) = FirstTable(input);
            NftTableSnapshot snapshot = NfTablesDecoder.DecodeMessages(input, family, name);
            _ = NftSyntaxRenderer.Render(snapshot);
            foreach (NftRule rule in snapshot.Rules)
            {
                _ = NftSyntaxRenderer.RenderRule(rule);
            }
        }
        catch (NetlinkProtocolException)
        {
            // Refused before anything could be printed.
        }
    }

    /// <summary>The kernel's dumps that hold a table, and nft's isolate batches (their NEWTABLE/NEWCHAIN/NEWRULE decode the same way).</summary>
    public static IEnumerable<FuzzSeed> Seeds(TestVectorSet vectors)
    {
        foreach (string name in vectors.Names(".reply").Concat(vectors.Names(".request")))
        {
            byte[] datagram = vectors.Datagram(name);
            if (HasTable(datagram))
            {
                yield return new FuzzSeed(name + ".bin", datagram);
            }
        }
    }

    private static (NfProtocolFamily Family, string Name) FirstTable(ReadOnlySpan<byte> input)
    {
        var reader = new NetlinkMessageReader(input);
        while (reader.Read())
        {
            if (reader.Current.Type == NewTable)
            {
                NftTable table = NfTablesDecoder.DecodeTable(reader.Current);
                return (table.Family, table.Name);
            }
        }

        throw new NetlinkProtocolException("no NFT_MSG_NEWTABLE in the input.");
    }

    private static bool HasTable(byte[] datagram)
    {
        try
        {
            _ = FirstTable(datagram);
            return true;
        }
        catch (NetlinkProtocolException)
        {
            return false;
        }
    }
}
