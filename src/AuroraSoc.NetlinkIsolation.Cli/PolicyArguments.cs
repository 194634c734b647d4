using System.Net;
using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli;

/// <summary>The raw isolate options, as typed.</summary>
internal sealed record PolicyArguments(
    IReadOnlyList<string> Collectors,
    IReadOnlyList<string> AllowedPeers,
    bool AllowDns,
    IReadOnlyList<string> DnsServers,
    bool AllowDhcp,
    string? Mode,
    bool KeepForwarding,
    bool NoReject,
    string Table)
{
    /// <summary>
    /// Parses and validates everything into an <see cref="IsolationPolicy"/>; throws
    /// <see cref="InvalidArgumentException"/> naming the option and value at fault.
    /// </summary>
    public IsolationPolicy ToPolicy()
    {
        ValidateTable(Table);
        IsolationMode mode = Mode switch
        {
            null or "keep" => IsolationMode.Keep,
            "strict" => IsolationMode.Strict,
            _ => throw new InvalidArgumentException("--mode", Mode, "must be keep or strict"),
        };

        List<Endpoint> collectors = ParseEndpoints(Collectors, "--collector");
        List<Endpoint> peers = ParseEndpoints(AllowedPeers, "--allow-peer");
        List<IPAddress> resolvers = [.. DnsServers.Select(ParseResolver)];

        // --dns-server implies DNS allowed, restricted to the listed resolvers (cli.md); --allow-dns alongside it
        // adds nothing.
        DnsPolicy dns = resolvers.Count > 0 ? DnsPolicy.ListedResolvers : AllowDns ? DnsPolicy.AnyResolver : DnsPolicy.Off;
        try
        {
            return new IsolationPolicy(
                collectors,
                peers,
                dns,
                resolvers,
                AllowDhcp,
                mode,
                blockForwarding: !KeepForwarding,
                rejectTcp: !NoReject,
                tableName: Table);
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

    private static List<Endpoint> ParseEndpoints(IReadOnlyList<string> texts, string option)
    {
        var endpoints = new List<Endpoint>(texts.Count);
        foreach (string text in texts)
        {
            if (!Endpoint.TryParse(text, out Endpoint? endpoint, out string? error))
            {
                throw new InvalidArgumentException(option, text, error ?? "not an endpoint");
            }

            endpoints.Add(endpoint!);
        }

        return endpoints;
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

    private static string OptionFor(string field) => field switch
    {
        "collector" => "--collector",
        "allowed peer" => "--allow-peer",
        "dns-server" => "--dns-server",
        "table" => "--table",
        "mode" => "--mode",
        "endpoints" => "--collector/--allow-peer/--dns-server",
        _ => "--" + field,
    };
}
