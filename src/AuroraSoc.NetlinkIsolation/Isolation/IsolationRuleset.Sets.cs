using System.Net.Sockets;
using AuroraSoc.NetlinkIsolation.Interop.Constants;
using AuroraSoc.NetlinkIsolation.NfTables;

namespace AuroraSoc.NetlinkIsolation.Isolation;

// Large allowlists (docs/ruleset.md, "Large allowlists: named sets"): the peers' sets, their elements, and the lookups
// that replace the peers' rules.
internal sealed partial class IsolationRuleset
{
    // NFTA_SET_USERDATA exactly as nft 1.0.6 writes it for these declarations (captured in
    // tests/TestVectors/named-sets-v4.request.hex): a plain address key carries NFTNL_UDATA_SET_KEYBYTEORDER = big endian; a
    // concatenation carries byte order 0 and its NFTNL_UDATA_SET_KEY_TYPEOF. nft reads them back to print the key.
    private static readonly byte[] PlainKeyUserData = [0x00, 0x04, 0x02, 0x00, 0x00, 0x00];
    private static readonly byte[] ConcatKeyUserData = [0x00, 0x04, 0x00, 0x00, 0x00, 0x00, 0x03, 0x08, 0x00, 0x04, 0x0d, 0x00, 0x00, 0x00, 0x01, 0x00];

    // The sets and their elements, encoded once for both transactions (a 100,000-element allowlist is megabytes).
    private readonly EncodedMessages _sets;

    /// <summary>The named sets of the allowlist with their elements, in declaration order; empty when peers are rules.</summary>
    public IReadOnlyList<NftSet> Sets { get; private set; } = [];

    /// <summary>
    /// Builds the sets of <paramref name="policy"/>'s allowlist: a set that would be empty is not declared. The rules only
    /// need the declarations, so their elements are built once, for the ruleset itself.
    /// </summary>
    private static List<NftSet> BuildSets(IsolationPolicy policy, bool withElements)
    {
        var sets = new List<NftSet>();
        if (policy.PeerSets is not { } allowlist)
        {
            return sets;
        }

        for (int index = 0; index < PeerAllowlist.SetNames.Length; index++)
        {
            IReadOnlyList<PeerRange> ranges = allowlist.Set(index);
            if (ranges.Count == 0)
            {
                continue;
            }

            bool v6 = index >= 2;
            bool withPort = index % 2 == 1;
            uint address = v6 ? NftSyntaxRenderer.Ipv6AddressType : NftSyntaxRenderer.Ipv4AddressType;
            uint addressLength = v6 ? 16u : 4u;
            var set = new NftSet(
                NfProtocolFamily.Inet,
                policy.TableName,
                PeerAllowlist.SetNames[index],
                withPort ? NftSetFlags.Interval | NftSetFlags.Concat : NftSetFlags.Interval,
                withPort ? (address << 6) | NftSyntaxRenderer.InetServiceType : address,
                withPort ? addressLength + 4 : addressLength,
                (uint)sets.Count + 1,
                withPort ? [addressLength, 2] : null,
                withPort ? ConcatKeyUserData : PlainKeyUserData)
            {
                Elements = !withElements ? [] : withPort ? ConcatElements(ranges, (int)addressLength) : IntervalElements(ranges, (int)addressLength),
            };
            sets.Add(set);
        }

        return sets;
    }

    /// <summary>
    /// A plain interval set as nft sends it: an INTERVAL_END element at key 0 when the first range does not start there
    /// (nft always opens with it), then per range its first key and, unless it runs to the family's last address, the
    /// first key past it flagged INTERVAL_END; a range to the last address carries nft's open-interval user data instead.
    /// </summary>
    private static List<NftSetElement> IntervalElements(IReadOnlyList<PeerRange> ranges, int length)
    {
        var elements = new List<NftSetElement>((ranges.Count * 2) + 1);
        if (ranges[0].First != 0)
        {
            elements.Add(new NftSetElement(new byte[length], flags: NftSetElementFlags.IntervalEnd));
        }

        foreach (PeerRange range in ranges)
        {
            bool open = range.Last == range.FamilyMaximum;
            elements.Add(new NftSetElement(range.AddressBytes(range.First), userData: open ? NftSetElement.OpenIntervalUserData : null));
            if (!open)
            {
                elements.Add(new NftSetElement(range.AddressBytes(range.Last + 1), flags: NftSetElementFlags.IntervalEnd));
            }
        }

        return elements;
    }

    /// <summary>
    /// A concatenated interval set: one element per range, NFTA_SET_ELEM_KEY its first address and port and
    /// NFTA_SET_ELEM_KEY_END its last, each field padded to 32 bits (the port: 2 bytes big endian, 2 zero bytes).
    /// </summary>
    private static List<NftSetElement> ConcatElements(IReadOnlyList<PeerRange> ranges, int addressLength)
    {
        var elements = new List<NftSetElement>(ranges.Count);
        foreach (PeerRange range in ranges)
        {
            elements.Add(new NftSetElement(ConcatKey(range, range.First, addressLength), ConcatKey(range, range.Last, addressLength)));
        }

        return elements;
    }

    private static byte[] ConcatKey(PeerRange range, UInt128 address, int addressLength)
    {
        byte[] key = new byte[addressLength + 4];
        range.WriteAddress(address, key);
        key[addressLength] = (byte)(range.Port >> 8);
        key[addressLength + 1] = (byte)range.Port;
        return key;
    }

    /// <summary>One lookup per declared set, in declaration order: <c>ip saddr @allow_v4 accept</c> … (input) or daddr/dport (output).</summary>
    private static void AddSetLookups(List<NftRule> rules, IReadOnlyList<NftSet> sets, string table, string chain, bool source)
    {
        foreach (NftSet set in sets)
        {
            bool v6 = set.KeyType is NftSyntaxRenderer.Ipv6AddressType or (NftSyntaxRenderer.Ipv6AddressType << 6 | NftSyntaxRenderer.InetServiceType);
            var rule = new NftRuleBuilder();
            if (set.IsConcatenation)
            {
                rule.AddressAndPortInSet(source, v6, ProtocolType.Tcp, set.Name, set.Id);
            }
            else
            {
                rule.AddressInSet(source, v6, set.Name, set.Id);
            }

            rules.Add(rule.Accept().Build(NfProtocolFamily.Inet, table, chain));
        }
    }

    /// <summary>NEWSET then its NEWSETELEM messages, set by set.</summary>
    private void AddSets(NfTablesBatch batch)
    {
        for (int i = 0; i < Sets.Count; i++)
        {
            batch.AddSet(Sets[i]);
            batch.AddSetElements(Sets[i], Sets[i].Elements);
        }
    }

    /// <summary>
    /// Null when the snapshot's sets are exactly this ruleset's — names, key types, flags and every element — else the
    /// first difference. Sorting the kernel's elements once keeps a 100,000-element comparison O(n log n).
    /// </summary>
    private string? DescribeSetDifference(NftTableSnapshot snapshot)
    {
        // The recording's ledgers are the table's too; DescribeRecordingDifference checks them.
        int expectedCount = Sets.Count + (Recording?.SetCount ?? 0);
        if (snapshot.Sets.Count != expectedCount)
        {
            return $"{snapshot.Sets.Count} sets instead of {expectedCount}";
        }

        for (int i = 0; i < Sets.Count; i++)
        {
            NftSet expected = Sets[i];
            NftSet? found = null;
            foreach (NftSet candidate in snapshot.Sets)
            {
                found = candidate.Name == expected.Name ? candidate : found;
            }

            if (found is null)
            {
                return $"set {expected.Name} is missing";
            }

            if (found.KeyType != expected.KeyType || found.KeyLength != expected.KeyLength || (found.Flags & ~NftSetFlags.Concat) != (expected.Flags & ~NftSetFlags.Concat))
            {
                return $"set {expected.Name} has another key or flags";
            }

            if (found.Elements.Count != expected.Elements.Count)
            {
                return $"set {expected.Name} has {found.Elements.Count} elements instead of {expected.Elements.Count}";
            }

            var actual = new List<NftSetElement>(found.Elements);
            actual.Sort(NftSetElement.ByKey);
            for (int e = 0; e < actual.Count; e++)
            {
                NftSetElement want = expected.Elements[e];
                NftSetElement have = actual[e];
                if (!have.Key.AsSpan().SequenceEqual(want.Key) || have.IsIntervalEnd != want.IsIntervalEnd
                    || !(have.KeyEnd ?? have.Key).AsSpan().SequenceEqual(want.KeyEnd ?? want.Key))
                {
                    return $"set {expected.Name} differs at element {e + 1}";
                }
            }
        }

        return null;
    }
}
