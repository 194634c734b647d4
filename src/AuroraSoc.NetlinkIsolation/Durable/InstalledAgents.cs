using System.Buffers.Binary;
using System.Globalization;
using AuroraSoc.NetlinkIsolation.Isolation;
using AuroraSoc.NetlinkIsolation.NfTables;
using AuroraSoc.NetlinkIsolation.NfTables.Expressions;

namespace AuroraSoc.NetlinkIsolation.Durable;

/// <summary>
/// Reads the agent identities back from an installed table's output rules (<c>socket cgroupv2 level L ID</c>,
/// <c>meta skuid</c>, <c>meta skgid</c>) and judges each against the intent: the k-th installed cgroup (user, group)
/// is the intent's k-th, since the ruleset repeats the identities in the order given for every collector.
/// </summary>
internal static class InstalledAgents
{
    /// <summary>Each distinct identity in rule order, with whether it is stale.</summary>
    /// <param name="table">The table as read; null when there is none.</param>
    /// <param name="recorded">The intent's policy, its cgroups resolved now; null without an intent.</param>
    public static List<(AgentIdentity Identity, bool Stale)> Of(NftTableSnapshot? table, IsolationPolicy? recorded)
    {
        var result = new List<(AgentIdentity Identity, bool Stale)>();
        if (table is null)
        {
            return result;
        }

        var seen = new HashSet<(AgentIdentityKind, ulong, int)>();
        var ordinal = new Dictionary<AgentIdentityKind, int>();
        foreach (NftRule rule in table.RulesOf(IsolationRuleset.OutputChain))
        {
            if (MatchOf(rule) is not { } match || !seen.Add(match))
            {
                continue;
            }

            (AgentIdentityKind kind, ulong id, int level) = match;
            int k = ordinal.GetValueOrDefault(kind);
            ordinal[kind] = k + 1;
            AgentIdentity? intended = NthOfKind(recorded, kind, k);
            result.Add(Judge(kind, id, level, intended));
        }

        return result;
    }

    private static (AgentIdentity Identity, bool Stale) Judge(AgentIdentityKind kind, ulong id, int level, AgentIdentity? intended)
    {
        if (kind != AgentIdentityKind.Cgroup)
        {
            string value = intended?.Value ?? id.ToString(CultureInfo.InvariantCulture);
            AgentIdentity identity = kind == AgentIdentityKind.User ? AgentIdentity.User(value, (uint)id) : AgentIdentity.Group(value, (uint)id);
            return (identity, intended is not null && intended.Id != id);
        }

        if (intended is not null)
        {
            // The intent's cgroup was resolved when it was read: its id now, 0 when it does not exist.
            string path = intended.CgroupPath ?? intended.Value;
            bool stale = id == 0 || intended.Id != id;
            return (AgentIdentity.Cgroup(path, id, Math.Max(level, 1), path), stale);
        }

        string? named = CgroupV2Directory.PathOf(id);
        return (AgentIdentity.Cgroup(named ?? id.ToString(CultureInfo.InvariantCulture), id, Math.Max(level, 1)), named is null);
    }

    private static AgentIdentity? NthOfKind(IsolationPolicy? policy, AgentIdentityKind kind, int n)
    {
        foreach (AgentIdentity identity in policy?.AgentIdentities ?? [])
        {
            if (identity.KindCode == kind && n-- == 0)
            {
                return identity;
            }
        }

        return null;
    }

    private static (AgentIdentityKind Kind, ulong Id, int Level)? MatchOf(NftRule rule)
    {
        IReadOnlyList<NftExpression> e = rule.Expressions;
        for (int i = 0; i + 1 < e.Count; i++)
        {
            if (e[i + 1] is not CmpExpression { Operator: NftCmpOperator.Eq } cmp)
            {
                continue;
            }

            switch (e[i])
            {
                case SocketExpression { Key: NftSocketKey.CgroupV2, Level: uint level } when cmp.Data.Length == 8:
                    return (AgentIdentityKind.Cgroup, BinaryPrimitives.ReadUInt64LittleEndian(cmp.Data), (int)level);
                case MetaExpression { Key: NftMetaKey.SocketUid } when cmp.Data.Length == 4:
                    return (AgentIdentityKind.User, BinaryPrimitives.ReadUInt32LittleEndian(cmp.Data), 0);
                case MetaExpression { Key: NftMetaKey.SocketGid } when cmp.Data.Length == 4:
                    return (AgentIdentityKind.Group, BinaryPrimitives.ReadUInt32LittleEndian(cmp.Data), 0);
            }
        }

        return null;
    }
}
