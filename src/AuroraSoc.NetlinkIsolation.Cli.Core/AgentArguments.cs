using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// <c>--agent-cgroup</c>, <c>--agent-user</c>, <c>--agent-group</c> (cli.md): who alone may reach the collectors. Parsing
/// refuses what is malformed and more than <see cref="IsolationPolicy.MaxAgentIdentities"/> (exit 2) before anything is
/// looked up; resolving fails (exit 1) on a cgroup, process, user or group that does not exist.
/// </summary>
internal static class AgentArguments
{
    /// <summary>The identities as typed, in the order given across the three options; throws <see cref="InvalidArgumentException"/>.</summary>
    public static IReadOnlyList<(string Kind, string Value)> Parse(ParsedCommandLine line)
    {
        var agents = new List<(string Kind, string Value)>();
        foreach ((CliOption option, string value) in line.Occurrences(CliOptions.AgentCgroup, CliOptions.AgentUser, CliOptions.AgentGroup))
        {
            string kind = option == CliOptions.AgentCgroup ? "cgroup" : option == CliOptions.AgentUser ? "user" : "group";
            if (agents.Count == IsolationPolicy.MaxAgentIdentities)
            {
                throw new InvalidArgumentException(option.Name, value, $"at most {IsolationPolicy.MaxAgentIdentities} agent identities (--agent-cgroup, --agent-user and --agent-group together)");
            }

            try
            {
                AgentIdentity.Validate(kind, value);
            }
            catch (PolicyValidationException exception)
            {
                throw new InvalidArgumentException(option.Name, value, exception.Reason);
            }

            agents.Add((kind, value));
        }

        return agents;
    }

    /// <summary>
    /// Each identity's number on this host. A malformed value only the host can show (an absolute path outside the
    /// cgroup2 mount) is <see cref="InvalidArgumentException"/>; what does not exist is <see cref="IsolationException"/>.
    /// </summary>
    public static IReadOnlyList<AgentIdentity> Resolve(IReadOnlyList<(string Kind, string Value)> agents)
    {
        var resolved = new List<AgentIdentity>(agents.Count);
        foreach ((string kind, string value) in agents)
        {
            try
            {
                resolved.Add(AgentIdentity.Resolve(kind, value));
            }
            catch (PolicyValidationException exception)
            {
                throw new InvalidArgumentException("--agent-" + kind, value, exception.Reason);
            }
        }

        return resolved;
    }
}
