using AuroraSoc.NetlinkIsolation.Durable;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// status's view of the agent identities (cli.md): the installed list with <c>stale</c> for each; a stale identity
/// (its cgroup removed or created again, so the installed id names nothing the agent is in) makes an otherwise
/// isolated table degraded, with one problem naming it and the fix.
/// </summary>
internal sealed class AgentStaleness
{
    private AgentStaleness(IReadOnlyList<AgentIdentity> installed, IReadOnlyList<bool> stale, string? problem)
    {
        Installed = installed;
        Stale = stale;
        Problem = problem;
    }

    public IReadOnlyList<AgentIdentity> Installed { get; }

    public IReadOnlyList<bool> Stale { get; }

    /// <summary>The line naming each stale identity and the fix; null when none is stale.</summary>
    public string? Problem { get; }

    public static AgentStaleness Of(DurableIsolationStatus durable)
    {
        IReadOnlyList<AgentIdentity> installed = durable.InstalledAgentIdentities;
        var staleOnes = new HashSet<AgentIdentity>(durable.StaleAgentIdentities);
        var stale = new List<bool>(installed.Count);
        var named = new List<string>();
        foreach (AgentIdentity identity in installed)
        {
            bool isStale = staleOnes.Contains(identity);
            stale.Add(isStale);
            if (isStale)
            {
                named.Add(identity.Id == 0
                    ? $"agent {identity.Kind} {identity.Value} (installed as id 0: it did not exist)"
                    : $"agent {identity.Kind} {identity.Value} (installed id {identity.Id})");
            }
        }

        string? problem = named.Count == 0
            ? null
            : $"{string.Join(", ", named)} is stale: the id no longer names it (removed, or created again by a restart), so the agent cannot reach its collectors; run restore (a running guard re-commits by itself once it exists)";
        return new AgentStaleness(installed, stale, problem);
    }

    /// <summary>True when the kernel says isolated but an identity is stale.</summary>
    public bool Degrades(IsolationState state) => Problem is not null && state == IsolationState.Isolated;

    public IsolationState StateOf(IsolationState state) => Degrades(state) ? IsolationState.Degraded : state;

    public IReadOnlyList<string> ProblemsWith(IReadOnlyList<string> problems) => Problem is null ? problems : [.. problems, Problem];
}
