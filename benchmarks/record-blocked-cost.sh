#!/usr/bin/env bash
# record-blocked-cost.sh — what --record-blocked costs the sender of blocked traffic.
#
# Usage (as root): benchmarks/record-blocked-cost.sh [ROUNDS] [PACKETS]   (defaults 7 rounds of 2,000,000 datagrams)
#
# Every scenario runs in its own throwaway network namespace (unshare -n): the machine's own firewall is never touched.
# Inside, a veth pair gives a default route, the CLI isolates the namespace (collector 192.0.2.10:6514), and
# benchmarks/record-blocked/blocked-flood.c sends UDP datagrams to 198.51.100.9, cycling over 1,000 destination ports —
# all blocked by the output chain — and reports datagrams per CPU-second of the sender (user + system time, getrusage).
# Scenarios, alternated round by round so machine load affects each alike:
#   plain    isolate without --record-blocked
#   record   isolate --record-blocked (the 1,000 endpoints enter the ledger on the first pass, then are updated)
#   full     isolate --record-blocked with blocked_out_v4 filled to 65,536 other endpoints first (198.51.100.10, every
#            port, and 198.51.100.11 ports 1..2000), so every flood packet's endpoint fails to be added
# Prints each round, then the median per scenario and the ratios record/plain and full/plain.
set -euo pipefail

ROUNDS=${1:-7}
PACKETS=${2:-2000000}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CLI=${AURORASOC_CLI:-$ROOT/src/AuroraSoc.NetlinkIsolation.Cli/bin/Release/net10.0/aurorasoc-isolate}
[[ $(id -u) -eq 0 ]] || { echo "record-blocked-cost.sh: must run as root" >&2; exit 1; }
[[ -x $CLI ]] || { echo "record-blocked-cost.sh: build the CLI first (dotnet build -c Release), or set AURORASOC_CLI" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cc -O2 -o "$WORK/blocked-flood" "$HERE/record-blocked/blocked-flood.c"

# run_scenario NAME: one measurement in a fresh namespace; prints datagrams per CPU-second.
run_scenario() {
    local name=$1 options=""
    [[ $name != plain ]] && options="--record-blocked"
    unshare -n -- bash -c '
        set -e
        ip link set lo up
        ip link add v0 type veth peer name v1
        ip addr add 10.9.0.1/24 dev v0; ip link set v0 up; ip link set v1 up
        sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
        ip route add default via 10.9.0.2 dev v0
        "$1" isolate --collector 192.0.2.10:6514 $3 --ephemeral >/dev/null
        if [[ $2 == full ]]; then
            "$4" 198.51.100.10 1 65535 65535 >/dev/null
            "$4" 198.51.100.11 1 2000 2000 >/dev/null
        fi
        "$4" 198.51.100.9 1 1000 "$5"
    ' bash "$CLI" "$name" "$options" "$WORK/blocked-flood" "$PACKETS"
}

declare -A results
for round in $(seq 1 "$ROUNDS"); do
    line="round $round:"
    for name in plain record full; do
        rate=$(run_scenario "$name")
        results[$name]+="$rate "
        line+=" $name $rate"
    done
    echo "$line"
done

median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
plain=$(echo "${results[plain]}" | median)
record=$(echo "${results[record]}" | median)
full=$(echo "${results[full]}" | median)
echo "median datagrams per CPU-second: plain $plain, record $record, full $full"
awk -v p="$plain" -v r="$record" -v f="$full" 'BEGIN { printf "record/plain %.3f, full/plain %.3f\n", r / p, f / p }'
