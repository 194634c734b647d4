namespace AuroraSoc.NetlinkIsolation.Isolation;

// Agent identities bound after the rest of the policy: the CLI builds the policy while parsing (an allowlist from stdin
// can be read only once) and resolves the identities later, just before anything is committed.
public sealed partial class IsolationPolicy
{
    /// <summary>This policy with <paramref name="agentIdentities"/> as the only processes that may reach the collectors (replacing any before).</summary>
    /// <param name="agentIdentities">1 to <see cref="MaxAgentIdentities"/> resolved identities; empty: every process may.</param>
    /// <exception cref="PolicyValidationException">More than <see cref="MaxAgentIdentities"/> identities.</exception>
    public IsolationPolicy WithAgentIdentities(IEnumerable<AgentIdentity> agentIdentities)
    {
        ArgumentNullException.ThrowIfNull(agentIdentities);

        // A copy of every field, whatever fields the policy has, then the identities changed on the copy.
        var copy = (IsolationPolicy)MemberwiseClone();
        copy.AgentIdentities = ValidateAgentIdentities(agentIdentities);
        return copy;
    }
}
