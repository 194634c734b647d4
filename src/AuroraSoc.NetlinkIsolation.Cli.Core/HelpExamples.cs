namespace AuroraSoc.NetlinkIsolation.Cli.Core;

/// <summary>Examples and exit codes appended to each command's help.</summary>
internal static class HelpExamples
{
    public const string Root = """
        Examples:
          aurorasoc-isolate isolate --collector 192.0.2.10 --collector [2001:db8::10]:443
          aurorasoc-isolate status --netns /run/netns/web1 --json
          aurorasoc-isolate show --netns-pid 4242
          aurorasoc-isolate unisolate
          aurorasoc-isolate restore

        Exit codes:
          0  done (status: isolated; show: printed; restore: nothing failed)
          1  failed; for isolate and unisolate the namespace is as it was
          2  invalid arguments; the kernel was not touched
          3  not isolated (status, show)
          4  degraded: table present but a base chain is missing or not policy drop (status)

        Needs root or CAP_NET_ADMIN in the target namespace (and CAP_SYS_ADMIN to enter one with --netns).

        """;

    public const string Isolate = """
        Examples:
          Keep only the collector reachable:
            aurorasoc-isolate isolate --collector 192.0.2.10
          Collector on TCP 6514 over IPv6, a patch network, DNS to one resolver, DHCP, strict mode:
            aurorasoc-isolate isolate --collector [2001:db8::10]:6514 --allow-peer 198.51.100.0/24 \
              --dns-server 192.0.2.53 --allow-dhcp --mode strict
          Quarantine one container's namespace and report as JSON:
            aurorasoc-isolate isolate --collector 192.0.2.10 --netns-pid 4242 --json
          Isolate a lab namespace without recording it (restore will not bring it back):
            aurorasoc-isolate isolate --collector 192.0.2.10 --netns /run/netns/lab --ephemeral
          Collector by name, the reason on the table, and roll back unless the collector answers within 5 s:
            aurorasoc-isolate isolate --collector edr.example.com:6514 --reason "INC-4711 soc@example.com" \
              --verify-collector --verify-timeout 5

        Exit codes: 0 isolated, 1 failed (nothing changed; a name that did not resolve; no collector reachable and
        the previous state put back), 2 invalid arguments (nothing changed).

        """;

    public const string Unisolate = """
        Examples:
          aurorasoc-isolate unisolate
          aurorasoc-isolate unisolate --netns /run/netns/web1 --json

        Exit codes: 0 done (also when it was not isolated), 1 failed, 2 invalid arguments.

        """;

    public const string Status = """
        Examples:
          aurorasoc-isolate status
          aurorasoc-isolate status --netns-pid 4242 --json
          aurorasoc-isolate status --netns /run/netns/web1 --state-dir /srv/aurorasoc/state

        Exit codes: 0 isolated, 3 not isolated (also when recorded but not in force: run restore), 4 degraded,
        1 failed, 2 invalid arguments.

        """;

    public const string Restore = """
        Examples:
          After a reboot or an `nft flush ruleset`:
            aurorasoc-isolate restore
          Another state directory, reported as JSON:
            aurorasoc-isolate restore --state-dir /srv/aurorasoc/state --json

        Exit codes: 0 every recorded isolation restored or skipped (namespace gone), or nothing recorded;
        1 any failed; 2 invalid arguments.

        """;

    public const string Show = """
        Examples:
          aurorasoc-isolate show
          aurorasoc-isolate show --netns /run/netns/web1 --table aurorasoc
          aurorasoc-isolate show --json

        Exit codes: 0 printed, 3 not isolated, 1 failed, 2 invalid arguments.

        """;

    public const string Blocked = """
        Examples:
          aurorasoc-isolate blocked
          aurorasoc-isolate blocked --netns /run/netns/web1 --top 0 --json

        Exit codes: 0 printed (after unisolate: the final report), 3 not isolated, 1 the table records nothing
        (isolate again with --record-blocked) or failed, 2 invalid arguments.

        """;

    public const string Watch = """
        Examples:
          aurorasoc-isolate watch
          aurorasoc-isolate watch --netns /run/netns/web1 --count 10 --json

        Ends on --count, --timeout, SIGINT or SIGTERM, then prints how many packets were printed, suppressed by the
        rate limit and lost. Exit codes: 0 ended, 3 not isolated, 1 the table records nothing (isolate again with
        --record-blocked), another listener holds the table's NFLOG group, or failed, 2 invalid arguments.

        """;
}
