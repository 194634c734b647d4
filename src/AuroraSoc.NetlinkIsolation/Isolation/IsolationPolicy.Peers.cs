namespace AuroraSoc.NetlinkIsolation.Isolation;

// Large allowlists (docs/ruleset.md, "Large allowlists: named sets"): beyond 8 peers, or with any range, every peer goes
// into named sets instead of rules.
public sealed partial class IsolationPolicy
{
    /// <summary>The most allowed peers that stay one rule each; with more (or any range) they all go into named sets.</summary>
    public const int MaxPeerRules = 8;

    /// <summary>The peers' named sets, normalized; null when the peers are rules.</summary>
    internal PeerAllowlist? PeerSets { get; private set; }

    /// <summary>The peers that are rules: <see cref="AllowedPeers"/>, or none when they are in sets.</summary>
    internal IReadOnlyList<Endpoint> RulePeers => PeerSets is null ? AllowedPeers : [];

    /// <summary>Allowed peers after merging: elements across the named sets, or the peer rules when rules are used.</summary>
    public int PeerCount => PeerSets?.Count ?? AllowedPeers.Count;

    /// <summary>Each declared set's name and element count (ranges after merging), in declaration order; empty when peers are rules.</summary>
    public IReadOnlyList<KeyValuePair<string, int>> PeerSetSizes
    {
        get
        {
            var sizes = new List<KeyValuePair<string, int>>();
            for (int i = 0; PeerSets is not null && i < PeerAllowlist.SetNames.Length; i++)
            {
                if (PeerSets.Set(i).Count > 0)
                {
                    sizes.Add(new(PeerAllowlist.SetNames[i], PeerSets.Set(i).Count));
                }
            }

            return sizes;
        }
    }

    /// <summary>
    /// This policy with the peers of an allowlist added after <see cref="AllowedPeers"/>, read one line at a time from
    /// <paramref name="reader"/>: addresses, prefixes and ranges <c>A-B</c>, each with an optional TCP port, <c>#</c> comments
    /// and blank lines (docs/cli.md, <c>--allow-peers-from</c>). Up to <see cref="MaxPeerRules"/> peers in all and no range:
    /// rules, in list order after the others; otherwise every peer goes into named sets.
    /// </summary>
    /// <param name="reader">The list; read to its end, not disposed.</param>
    /// <param name="source">The list's name in error messages (<c>FILE:LINE</c>), e.g. its path or "-".</param>
    /// <exception cref="PolicyValidationException">A line is not a valid peer (naming <c>SOURCE:LINE</c> and the text), the list is
    /// empty, or the peers' union is a whole address family.</exception>
    public IsolationPolicy WithAllowedPeersFrom(TextReader reader, string source)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(source);
        return WithPeerRanges(PeerListReader.Read(reader, source));
    }

    /// <summary>This policy with <paramref name="peers"/> added after the allowed peers (an allowlist, or ranges recorded in an intent).</summary>
    internal IsolationPolicy WithPeerRanges(IReadOnlyList<PeerRange> peers, bool forceSets = false)
    {
        ArgumentNullException.ThrowIfNull(peers);

        // A copy of every field, whatever fields the policy has, then the peers changed on the copy.
        var copy = (IsolationPolicy)MemberwiseClone();
        bool rules = !forceSets && PeerSets is null && AllowedPeers.Count + peers.Count <= MaxPeerRules;
        foreach (PeerRange peer in peers)
        {
            rules &= peer.IsPrefix;
        }

        if (rules)
        {
            var endpoints = new List<Endpoint>(AllowedPeers);
            foreach (PeerRange peer in peers)
            {
                endpoints.Add(peer.ToEndpoint());
            }

            copy.AllowedPeers = Distinct(endpoints, "allowed peer", [.. Collectors]);
            return copy;
        }

        copy.PeerSets = PeerAllowlist.Normalize(Concat(PeerSets?.All() ?? RangesOf(AllowedPeers), peers));
        return copy;
    }

    /// <summary>This policy with the peer sets of <paramref name="other"/> (a policy rebuilt with another reason keeps its allowlist).</summary>
    internal IsolationPolicy WithPeerSetsOf(IsolationPolicy other)
    {
        ArgumentNullException.ThrowIfNull(other);
        if (other.PeerSets is null || ReferenceEquals(other, this))
        {
            return this;
        }

        var copy = (IsolationPolicy)MemberwiseClone();
        copy.PeerSets = other.PeerSets;
        return copy;
    }

    private static IEnumerable<PeerRange> RangesOf(IReadOnlyList<Endpoint> endpoints)
    {
        foreach (Endpoint endpoint in endpoints)
        {
            yield return PeerRange.FromEndpoint(endpoint);
        }
    }

    private static IEnumerable<PeerRange> Concat(IEnumerable<PeerRange> first, IReadOnlyList<PeerRange> second)
    {
        foreach (PeerRange range in first)
        {
            yield return range;
        }

        foreach (PeerRange range in second)
        {
            yield return range;
        }
    }
}
