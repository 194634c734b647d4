using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Intent;

/// <summary>
/// The allowlist in an intent (format 3): the merged ranges, one string each in the allowlist's own syntax
/// (<c>10.0.0.0/8</c>, <c>192.0.2.5-192.0.2.9:443</c>, <c>[2001:db8::/32]:22</c>). Merged ranges are the smallest exact
/// record of the union, and text keeps the file readable; 100,000 IPv6 ranges with ports stay a few megabytes.
/// </summary>
internal static class IntentPeerRanges
{
    public static List<string>? TextsOf(IsolationPolicy policy)
    {
        if (policy.PeerSets is not { } allowlist)
        {
            return null;
        }

        var texts = new List<string>(allowlist.Count);
        foreach (PeerRange range in allowlist.All())
        {
            texts.Add(range.ToString());
        }

        return texts;
    }

    public static IsolationPolicy Apply(IsolationPolicy policy, List<string> texts)
    {
        var ranges = new List<PeerRange>(texts.Count);
        foreach (string text in texts)
        {
            if (!PeerListReader.TryParse(text, out PeerRange range, out string? error))
            {
                throw new FormatException($"policy.peerRanges: '{text}': {error}");
            }

            ranges.Add(range);
        }

        // Recorded ranges are always sets, even when few: they were sets when recorded.
        return ranges.Count == 0 ? policy : policy.WithPeerRanges(ranges, forceSets: true);
    }
}
