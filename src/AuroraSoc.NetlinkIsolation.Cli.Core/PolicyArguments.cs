using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>
/// The isolate options, checked in two steps: <see cref="Parse"/> refuses every malformed argument before anything
/// is looked up (exit 2), <see cref="ToPolicy"/> builds the policy once the host names are resolved.
/// </summary>
internal sealed class PolicyArguments
{
    private readonly string? _mode;
    private readonly bool _allowDns;
    private readonly bool _allowDhcp;
    private readonly bool _keepForwarding;
    private readonly bool _noReject;
    private readonly bool _recordBlocked;
    private readonly string _table;
    private readonly IReadOnlyList<IPAddress> _resolvers;
    private readonly string? _peersFrom;
    private IsolationPolicy? _policyWithoutNames;

    private PolicyArguments(ParsedCommandLine line, IReadOnlyList<EndpointSpecification> collectors, IReadOnlyList<EndpointSpecification> peers, IReadOnlyList<IPAddress> resolvers)
    {
        Collectors = collectors;
        AllowedPeers = peers;
        _resolvers = resolvers;
        _mode = line.Value(CliOptions.Mode);
        _allowDns = line.Has(CliOptions.AllowDns);
        _allowDhcp = line.Has(CliOptions.AllowDhcp);
        _keepForwarding = line.Has(CliOptions.KeepForwarding);
        _noReject = line.Has(CliOptions.NoReject);
        _recordBlocked = line.Has(CliOptions.RecordBlocked);
        _table = line.Value(CliOptions.Table) ?? string.Empty;
        Reason = line.Value(CliOptions.Reason);
        Agents = AgentArguments.Parse(line);
        _peersFrom = line.Value(CliOptions.AllowPeersFrom);
    }

    /// <summary>The collectors as typed: addresses and host names, in order.</summary>
    public IReadOnlyList<EndpointSpecification> Collectors { get; }

    /// <summary>The allowed peers as typed: addresses and host names, in order.</summary>
    public IReadOnlyList<EndpointSpecification> AllowedPeers { get; }

    /// <summary>Every endpoint as typed, collectors first: what host-name resolution looks at.</summary>
    public IReadOnlyList<EndpointSpecification> Endpoints => [.. Collectors, .. AllowedPeers];

    public string? Reason { get; }

    /// <summary>The agent identities as typed (kind word, value), in the order given across the three options.</summary>
    public IReadOnlyList<(string Kind, string Value)> Agents { get; }

    /// <summary>The agent identities resolved on this host (cgroup ids, uids, gids); throws before anything is committed.</summary>
    public IReadOnlyList<AgentIdentity> ResolveAgents() => AgentArguments.Resolve(Agents);

    /// <summary>
    /// Checks every isolate option that can be checked without DNS; throws <see cref="InvalidArgumentException"/> naming
    /// the option and value at fault. With no host names this builds the policy too, so every rule of
    /// <see cref="IsolationPolicy"/> is enforced here.
    /// </summary>
    public static PolicyArguments Parse(ParsedCommandLine line)
    {
        ValidateTable(line.Value(CliOptions.Table) ?? string.Empty);
        if (line.Value(CliOptions.Mode) is { } mode && mode is not ("keep" or "strict"))
        {
            throw new InvalidArgumentException("--mode", mode, "must be keep or strict");
        }

        var arguments = new PolicyArguments(
            line,
            ParseEndpoints(line.Values(CliOptions.Collector), "--collector"),
            ParseEndpoints(line.Values(CliOptions.AllowPeer), "--allow-peer"),
            ParseResolvers(line.Values(CliOptions.DnsServer)));
        if (arguments.Reason is { } reason)
        {
            try
            {
                IsolationPolicy.ValidateReason(reason);
            }
            catch (PolicyValidationException exception)
            {
                throw new InvalidArgumentException("--reason", reason, exception.Reason);
            }
        }

        if (!AnyHostName(arguments.Endpoints))
        {
            arguments.ToPolicy(new Dictionary<string, IReadOnlyList<string>>());
        }

        return arguments;
    }

    /// <summary>
    /// The policy, each host name replaced by the addresses it resolved to; throws <see cref="InvalidArgumentException"/>
    /// when the result breaks a rule of <see cref="IsolationPolicy"/> (a name resolving to a loopback address, say).
    /// </summary>
    public IsolationPolicy ToPolicy(IReadOnlyDictionary<string, IReadOnlyList<string>> resolvedNames, IReadOnlyList<AgentIdentity>? agents = null)
    {
        // --dns-server implies DNS allowed, restricted to the listed resolvers (cli.md); --allow-dns alongside it
        // adds nothing.
        DnsPolicy dns = _resolvers.Count > 0 ? DnsPolicy.ListedResolvers : _allowDns ? DnsPolicy.AnyResolver : DnsPolicy.Off;
        if (_policyWithoutNames is not null)
        {
            // Built while parsing: an allowlist (stdin above all) is read once; the agents are resolved later.
            return agents is { Count: > 0 } ? _policyWithoutNames.WithAgentIdentities(agents) : _policyWithoutNames;
        }

        try
        {
            IsolationPolicy policy = new IsolationPolicy(
                EndpointSpecification.Expand(Collectors, resolvedNames),
                EndpointSpecification.Expand(AllowedPeers, resolvedNames),
                dns,
                _resolvers,
                _allowDhcp,
                _mode == "strict" ? IsolationMode.Strict : IsolationMode.Keep,
                blockForwarding: !_keepForwarding,
                rejectTcp: !_noReject,
                tableName: _table,
                reason: Reason,
                agentIdentities: agents)
            { RecordBlocked = _recordBlocked };
            policy = PeerListFile.Apply(policy, _peersFrom);
            _policyWithoutNames = AnyHostName(Endpoints) ? null : policy;
            return policy;
        }
        catch (PolicyValidationException exception)
        {
            throw new InvalidArgumentException(OptionFor(exception.Field), exception.Value, exception.Reason);
        }
    }

    /// <summary>Validates <c>--table</c> for unisolate, status and show, which take no policy.</summary>
    public static void ValidateTable(string table)
    {
        try
        {
            IsolationPolicy.ValidateTableName(table);
        }
        catch (PolicyValidationException exception)
        {
            throw new InvalidArgumentException("--table", table, exception.Reason);
        }
    }

    /// <summary>The option an operator typed for a policy field the library names.</summary>
    public static string OptionFor(string field) => field switch
    {
        "collector" => "--collector",
        "allowed peer" => "--allow-peer",
        "dns-server" => "--dns-server",
        "table" => "--table",
        "mode" => "--mode",
        "reason" => "--reason",
        "endpoints" => "--collector/--allow-peer/--dns-server",
        "agent" => "--agent-cgroup/--agent-user/--agent-group",
        _ => "--" + field,
    };

    private static List<EndpointSpecification> ParseEndpoints(IReadOnlyList<string> texts, string option)
    {
        var endpoints = new List<EndpointSpecification>(texts.Count);
        foreach (string text in texts)
        {
            if (!EndpointSpecification.TryParse(text, out EndpointSpecification? endpoint, out string? error))
            {
                throw new InvalidArgumentException(option, text, error ?? "not an endpoint");
            }

            endpoints.Add(endpoint!);
        }

        return endpoints;
    }

    private static bool AnyHostName(IReadOnlyList<EndpointSpecification> endpoints)
    {
        foreach (EndpointSpecification endpoint in endpoints)
        {
            if (endpoint.IsHostName)
            {
                return true;
            }
        }

        return false;
    }

    private static List<IPAddress> ParseResolvers(IReadOnlyList<string> texts)
    {
        var resolvers = new List<IPAddress>(texts.Count);
        foreach (string text in texts)
        {
            resolvers.Add(ParseResolver(text));
        }

        return resolvers;
    }

    private static IPAddress ParseResolver(string text)
    {
        if (!Endpoint.TryParse(text, out Endpoint? endpoint, out string? error))
        {
            throw new InvalidArgumentException("--dns-server", text, error ?? "not an address");
        }

        // The DNS rules match the resolver's address and port 53 themselves; a prefix or a port here would be
        // silently meaningless, so it is refused (even a full-length /32 or /128).
        if (endpoint!.Port is not null || text.Contains('/', StringComparison.Ordinal))
        {
            throw new InvalidArgumentException("--dns-server", text, "a resolver is a single IPv4 or IPv6 address, without /prefix or :port");
        }

        return endpoint.Address;
    }
}
