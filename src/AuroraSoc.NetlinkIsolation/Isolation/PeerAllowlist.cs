namespace AuroraSoc.NetlinkIsolation.Isolation;

/// <summary>
/// Allowed peers normalized for named sets (docs/ruleset.md, "Large allowlists"): per set — IPv4, IPv4 with a port, IPv6,
/// IPv6 with a port — overlapping and adjacent ranges merged into maximal ones (per port where there is one) and held in
/// ascending order. The allowed traffic is exactly the union of the given peers. nft refuses overlapping intervals and
/// the kernel refuses overlaps in concatenated sets (nft_set_pipapo.c), so merging is required, not cosmetic.
/// </summary>
internal sealed class PeerAllowlist
{
    /// <summary>The set names, in the order the sets are declared and looked up.</summary>
    public static readonly string[] SetNames = ["allow_v4", "allow_v4_tcp", "allow_v6", "allow_v6_tcp"];

    private readonly PeerRange[][] _sets;

    private PeerAllowlist(PeerRange[][] sets)
    {
        _sets = sets;
    }

    /// <summary>The merged ranges of set <paramref name="index"/> (see <see cref="SetNames"/>), ascending.</summary>
    public IReadOnlyList<PeerRange> Set(int index) => _sets[index];

    /// <summary>Ranges across all four sets: the <c>peers</c> count the CLI reports.</summary>
    public int Count => _sets[0].Length + _sets[1].Length + _sets[2].Length + _sets[3].Length;

    /// <summary>Every range, set by set in declaration order: what the intent records.</summary>
    public IEnumerable<PeerRange> All()
    {
        foreach (PeerRange[] set in _sets)
        {
            foreach (PeerRange range in set)
            {
                yield return range;
            }
        }
    }

    /// <summary>
    /// Merges <paramref name="peers"/>. Throws <see cref="PolicyValidationException"/> when the union of a family's port-less
    /// peers is the whole family: that allowlist would undo the isolation.
    /// </summary>
    public static PeerAllowlist Normalize(IEnumerable<PeerRange> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var groups = new List<PeerRange>[4];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = [];
        }

        foreach (PeerRange peer in peers)
        {
            groups[SetIndex(peer)].Add(peer);
        }

        var sets = new PeerRange[4][];
        for (int i = 0; i < sets.Length; i++)
        {
            sets[i] = Merge(groups[i]);
        }

        foreach (int plain in (ReadOnlySpan<int>)[0, 2])
        {
            if (sets[plain] is [var only] && only.First == 0 && only.Last == only.FamilyMaximum)
            {
                throw new PolicyValidationException(PeerListReader.Field, only.ToString(), $"the allowed peers cover every {(only.IsIPv6 ? "IPv6" : "IPv4")} address, which would undo the isolation");
            }
        }

        return new PeerAllowlist(sets);
    }

    /// <summary>0 IPv4, 1 IPv4 with a port, 2 IPv6, 3 IPv6 with a port.</summary>
    public static int SetIndex(PeerRange peer) => (peer.IsIPv6 ? 2 : 0) + (peer.Port != 0 ? 1 : 0);

    /// <summary>True when some range of the list allows <paramref name="address"/> (with <paramref name="port"/>, 0 for none).</summary>
    public bool Allows(bool v6, UInt128 address, ushort port)
    {
        PeerRange[] plain = _sets[v6 ? 2 : 0];
        if (Find(plain, address, 0))
        {
            return true;
        }

        return port != 0 && Find(_sets[v6 ? 3 : 1], address, port);
    }

    private static bool Find(PeerRange[] ranges, UInt128 address, ushort port)
    {
        // Linear over the ranges of one port would do for tests; binary search on First keeps a 100k list fast.
        int low = 0, high = ranges.Length - 1;
        while (low <= high)
        {
            int middle = (low + high) >>> 1;
            if (ranges[middle].First <= address)
            {
                low = middle + 1;
            }
            else
            {
                high = middle - 1;
            }
        }

        // Ranges of different ports may overlap in address; walk back over every range starting at or below the address.
        for (int i = high; i >= 0; i--)
        {
            PeerRange range = ranges[i];
            if (range.Last >= address && (port == 0 || range.Port == port))
            {
                return true;
            }

            if (port == 0)
            {
                return false; // one port (none): merged ranges are disjoint, only the nearest can hold it
            }
        }

        return false;
    }

    /// <summary>Sorted by (port, first), merged where ranges overlap or touch, then ordered by (first, port).</summary>
    private static PeerRange[] Merge(List<PeerRange> ranges)
    {
        ranges.Sort(static (a, b) => a.Port != b.Port ? a.Port.CompareTo(b.Port) : a.First.CompareTo(b.First));
        var merged = new List<PeerRange>(ranges.Count);
        foreach (PeerRange range in ranges)
        {
            if (merged.Count > 0)
            {
                PeerRange last = merged[^1];
                bool touches = last.Port == range.Port && (last.Last == last.FamilyMaximum || range.First <= last.Last + 1);
                if (touches)
                {
                    if (range.Last > last.Last)
                    {
                        merged[^1] = last with { Last = range.Last };
                    }

                    continue;
                }
            }

            merged.Add(range);
        }

        merged.Sort();
        return [.. merged];
    }
}
