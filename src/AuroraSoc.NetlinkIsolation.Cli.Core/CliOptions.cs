using AuroraSoc.NetlinkIsolation.Isolation;

namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>The options of cli.md, each declared once; the commands' tables list which of them they accept.</summary>
internal static class CliOptions
{
    public static CliOption Collector { get; } = new("--collector", OptionValues.Repeated, "Endpoint that stays reachable (the SOC's collector): 192.0.2.10, 192.0.2.0/24, 192.0.2.10:443, 2001:db8::10, 2001:db8::/64, [2001:db8::10]:443, or a host name with an optional port (edr.example.com:6514), resolved before anything changes to every address it has (recorded, so restore needs no DNS). A port means TCP to/from that port only. Repeat for several; at least one is required.")
    {
        ValueName = "ENDPOINT",
        Required = true,
    };

    public static CliOption AllowPeer { get; } = new("--allow-peer", OptionValues.Repeated, "Another endpoint that stays reachable (patch server, jump host); same syntax and rules as --collector, host names included. Repeatable.")
    {
        ValueName = "ENDPOINT",
    };

    public static CliOption AllowDns { get; } = new("--allow-dns", OptionValues.None, "Allow DNS (UDP and TCP port 53) to any resolver.");

    public static CliOption DnsServer { get; } = new("--dns-server", OptionValues.Repeated, "Allow DNS to this resolver only (implies DNS allowed). One address, no prefix or port. Repeatable.")
    {
        ValueName = "ADDR",
    };

    public static CliOption AllowDhcp { get; } = new("--allow-dhcp", OptionValues.None, "Allow DHCPv4 (67/68) and DHCPv6 (546/547), so the host keeps its lease.");

    public static CliOption Mode { get; } = new("--mode", OptionValues.One, "keep: established and related flows survive (default). strict: only flows with collectors and allowed peers survive.")
    {
        ValueName = "keep|strict",
    };

    public static CliOption KeepForwarding { get; } = new("--keep-forwarding", OptionValues.None, "Do not install the forward chain: routed and container traffic keeps flowing.");

    public static CliOption NoReject { get; } = new("--no-reject", OptionValues.None, "Drop disallowed outbound TCP silently instead of answering it with a TCP reset.");

    public static CliOption Table { get; } = new("--table", OptionValues.One, "Name of the nf_tables table (family inet).")
    {
        ValueName = "NAME",
        DefaultValue = IsolationPolicy.DefaultTableName,
    };

    public static CliOption Netns { get; } = new("--netns", OptionValues.One, "Act on the network namespace at this path (/run/netns/NAME, /proc/PID/ns/net) instead of the one this program runs in.")
    {
        ValueName = "PATH",
    };

    public static CliOption NetnsPid { get; } = new("--netns-pid", OptionValues.One, "Act on the network namespace of this process: shorthand for --netns /proc/PID/ns/net.")
    {
        ValueName = "PID",
    };

    public static CliOption Reason { get; } = new("--reason", OptionValues.One, "Why the host is isolated (a ticket, an incident), stored on the table as its nft comment: nft list table, show and status print it. At most 128 bytes of printable UTF-8 without \", \\ or control characters.")
    {
        ValueName = "TEXT",
    };

    public static CliOption VerifyCollector { get; } = new("--verify-collector", OptionValues.None, "After the commit, connect from inside the namespace to every collector that has a port; when none connects, put the previous state (table and recorded intent) back in one transaction and fail.");

    public static CliOption VerifyTimeout { get; } = new("--verify-timeout", OptionValues.One, "Seconds the --verify-collector connections may take, all at once (more than 0, at most 3600).")
    {
        ValueName = "SECONDS",
        DefaultValue = "5",
    };

    public static CliOption StateDir { get; } = new("--state-dir", OptionValues.One, "Directory of the recorded isolations (intents) that restore and the guard put back. Default: $AURORASOC_STATE_DIR, else /var/lib/aurorasoc-isolate.")
    {
        ValueName = "DIR",
    };

    public static CliOption Ephemeral { get; } = new("--ephemeral", OptionValues.None, "Record nothing in the state directory: the isolation lasts until a reboot or flush, and restore will not bring it back.");

    public static CliOption MonitorOnly { get; } = new("--monitor-only", OptionValues.None, "Guard by watching and re-asserting only; never own the tables (no NFT_TABLE_F_OWNER).");

    public static CliOption VerifyInterval { get; } = new("--verify-interval", OptionValues.One, "Seconds between the guard's re-reads of every guarded table and of the state directory (default 30).")
    {
        ValueName = "SECONDS",
    };

    public static CliOption AgentCgroup { get; } = new("--agent-cgroup", OptionValues.Repeated, "Only processes in this cgroup v2 (and below it) may open connections to the collectors: a path relative to the cgroup2 mount (system.slice/edr.service), an absolute path under it, or pid:PID (that process's cgroup, recorded as its path). Resolved before anything changes. Repeatable; 8 identities in all.")
    {
        ValueName = "PATH|pid:PID",
    };

    public static CliOption AgentUser { get; } = new("--agent-user", OptionValues.Repeated, "Only sockets owned by this user (name or uid) may open connections to the collectors. Repeatable; 8 identities in all.")
    {
        ValueName = "USER|UID",
    };

    public static CliOption AgentGroup { get; } = new("--agent-group", OptionValues.Repeated, "Only sockets of this group (name or gid; the owner's effective group, not supplementary groups) may open connections to the collectors. Repeatable; 8 identities in all.")
    {
        ValueName = "GROUP|GID",
    };

    public static CliOption Json { get; } = new("--json", OptionValues.None, "Print one JSON object on stdout instead of text.");

    /// <summary>Accepted by every command and before the command name.</summary>
    public static CliOption Verbose { get; } = new("--verbose", OptionValues.None, "Log debug detail (timings, generation, policy) to stderr.")
    {
        Aliases = ["-v"],
    };

    /// <summary>Accepted by every command and before the command name; wins over any other error.</summary>
    public static CliOption Help { get; } = new("--help", OptionValues.None, "Show help and usage information")
    {
        Aliases = ["-?", "-h"],
    };

    /// <summary>Only on its own, without a command.</summary>
    public static CliOption Version { get; } = new("--version", OptionValues.None, "Show version information");

    public static CliOption RecordBlocked { get; } = new("--record-blocked", OptionValues.None, "Record what the isolation blocks: exact per-chain counters, a kernel ledger of blocked endpoints per chain and family (65,536 each), and a rate-limited NFLOG copy for watch. Read it with blocked.");

    public static CliOption Top { get; } = new("--top", OptionValues.One, "Show at most this many ledger entries, largest first (default 20; 0: all).")
    {
        ValueName = "N",
    };

    public static CliOption AllowPeersFrom { get; } = new("--allow-peers-from", OptionValues.One, "Read allowed peers from FILE (- = stdin), one per line after any --allow-peer: addresses, prefixes and ranges A-B, each with an optional port (A:PORT, A-B:PORT, [A-B]:PORT for IPv6); no host names; # starts a comment. More than 8 peers in all, or any range, go into named sets, merged. The merged list is recorded, so restore needs no file.")
    {
        ValueName = "FILE|-",
    };

    public static CliOption Count { get; } = new("--count", OptionValues.One, "watch: stop after this many packets (more than 0).")
    {
        ValueName = "N",
    };

    public static CliOption Timeout { get; } = new("--timeout", OptionValues.One, "watch: stop after this many seconds (more than 0).")
    {
        ValueName = "SECONDS",
    };
}
