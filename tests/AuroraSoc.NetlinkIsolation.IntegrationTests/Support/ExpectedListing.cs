using System.Text;

namespace AuroraSoc.NetlinkIsolation.IntegrationTests.Support;

/// <summary>
/// A policy written as test data, and the text <c>nft list table</c> must print for it, built straight from
/// ruleset.md — independently of the production ruleset builder and renderer. Endpoints are written in nft's
/// canonical address form ("2001:db8::10", "[2001:db8::/64]:443").
/// </summary>
internal sealed record PolicySpec(
    string[] Collectors,
    string[]? Peers = null,
    string Dns = "off",
    string[]? Resolvers = null,
    bool Dhcp = false,
    bool Strict = false,
    bool BlockForwarding = true,
    bool Reject = true,
    string Table = "aurorasoc")
{
    public string ExpectedListing()
    {
        var text = new StringBuilder();
        text.Append("table inet ").Append(Table).Append(" {\n");
        AppendChain(text, "input", InputRules());
        text.Append('\n');
        AppendChain(text, "output", OutputRules());
        if (BlockForwarding)
        {
            text.Append('\n');
            AppendChain(text, "forward", []);
        }

        text.Append("}\n");
        return text.ToString();
    }

    private IEnumerable<string> Endpoints => Collectors.Concat(Peers ?? []);

    private string CtSurvivors => Strict ? "ct state related accept" : "ct state established,related accept";

    private List<string> InputRules()
    {
        var rules = new List<string>
        {
            "iif \"lo\" accept",
            CtSurvivors,
            "icmpv6 type nd-router-advert ip6 hoplimit 255 accept",
            "icmpv6 type nd-neighbor-solicit ip6 hoplimit 255 accept",
            "icmpv6 type nd-neighbor-advert ip6 hoplimit 255 accept",
        };
        rules.AddRange(Endpoints.Select(e => EndpointRule(e, "saddr", "sport")));
        if (Strict && Dns == "any")
        {
            rules.Add("udp sport 53 ct state established accept");
            rules.Add("tcp sport 53 ct state established accept");
        }
        else if (Strict && Dns == "listed")
        {
            foreach (string resolver in Resolvers!)
            {
                string ip = resolver.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip";
                rules.Add($"{ip} saddr {resolver} udp sport 53 ct state established accept");
                rules.Add($"{ip} saddr {resolver} tcp sport 53 ct state established accept");
            }
        }

        if (Dhcp)
        {
            rules.Add("udp sport 67 udp dport 68 accept");
            rules.Add("udp sport 547 udp dport 546 accept");
        }

        return rules;
    }

    private List<string> OutputRules()
    {
        var rules = new List<string>
        {
            "oif \"lo\" accept",
            CtSurvivors,
            "icmpv6 type nd-router-solicit ip6 hoplimit 255 accept",
            "icmpv6 type nd-neighbor-solicit ip6 hoplimit 255 accept",
            "icmpv6 type nd-neighbor-advert ip6 hoplimit 255 accept",
        };
        rules.AddRange(Endpoints.Select(e => EndpointRule(e, "daddr", "dport")));
        if (Dns == "any")
        {
            rules.Add("udp dport 53 accept");
            rules.Add("tcp dport 53 accept");
        }
        else if (Dns == "listed")
        {
            foreach (string resolver in Resolvers!)
            {
                string ip = resolver.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip";
                rules.Add($"{ip} daddr {resolver} udp dport 53 accept");
                rules.Add($"{ip} daddr {resolver} tcp dport 53 accept");
            }
        }

        if (Dhcp)
        {
            rules.Add("udp sport 68 udp dport 67 accept");
            rules.Add("udp sport 546 udp dport 547 accept");
        }

        if (Reject)
        {
            rules.Add("meta l4proto tcp reject with tcp reset");
        }

        return rules;
    }

    private static string EndpointRule(string endpoint, string addressField, string portField)
    {
        string address = endpoint;
        string? port = null;
        if (endpoint.StartsWith('['))
        {
            int close = endpoint.IndexOf(']', StringComparison.Ordinal);
            address = endpoint[1..close];
            port = endpoint[(close + 2)..];
        }
        else if (endpoint.Count(c => c == ':') == 1)
        {
            address = endpoint[..endpoint.IndexOf(':', StringComparison.Ordinal)];
            port = endpoint[(endpoint.IndexOf(':', StringComparison.Ordinal) + 1)..];
        }

        string ip = address.Contains(':', StringComparison.Ordinal) ? "ip6" : "ip";
        return port is null ? $"{ip} {addressField} {address} accept" : $"{ip} {addressField} {address} tcp {portField} {port} accept";
    }

    private static void AppendChain(StringBuilder text, string name, List<string> rules)
    {
        text.Append("\tchain ").Append(name).Append(" {\n");
        text.Append("\t\ttype filter hook ").Append(name).Append(" priority filter; policy drop;\n");
        foreach (string rule in rules)
        {
            text.Append("\t\t").Append(rule).Append('\n');
        }

        text.Append("\t}\n");
    }
}
