#!/usr/bin/env bash
# record-blocked-cost.sh — what --record-blocked costs the sender of blocked traffic.
#
# Usage (as root): benchmarks/record-blocked-cost.sh [SAMPLES] [PACKETS] [POLICY]
#   defaults: 30 samples of 300,000 datagrams, POLICY contract
#   POLICY contract  the contract example (docs/ruleset.md): collectors 192.0.2.10 and [2001:db8::10]:443, the peer
#                    198.51.100.0/24, DNS and DHCP — the ruleset the project documents and tests
#          minimal   one collector, 192.0.2.10:6514: the shortest chain, so recording is the largest share (worst case)
#
# Each scenario gets its own throwaway network namespace (ip netns add; a trap deletes them however the script ends):
# the machine's own firewall is never touched. Inside, a veth pair gives a default route, the CLI isolates the
# namespace with POLICY, and benchmarks/record-blocked/blocked-flood.c sends UDP datagrams to 203.0.113.9, cycling over
# destination ports 1000..1999 — all blocked by the output chain under either policy — and reports datagrams per
# CPU-second of the sender (user + system time, getrusage).
# Scenarios:
#   plain    isolate without --record-blocked
#   record   isolate --record-blocked (the 1,000 endpoints enter the ledger on the first sample, then are updated)
#   full     isolate --record-blocked with blocked_out_v4 filled to 65,536 other endpoints first (203.0.113.10 ports
#            54..65535 and 203.0.113.11 ports 54..2053), so every flood packet's endpoint fails to be added
# The namespaces are set up once; then each sample runs the three scenarios one after the other (the order rotating),
# so a change in the machine's load falls on all three alike. Prints each sample, the median rate per scenario and the
# median of the per-sample ratios record/plain and full/plain (the result: the two cores here are shared, and single
# rates move by ±10 % with other load).
set -euo pipefail

SAMPLES=${1:-30}
PACKETS=${2:-300000}
POLICY=${3:-contract}
case $POLICY in
    contract) POLICY_OPTIONS="--collector 192.0.2.10 --collector [2001:db8::10]:443 --allow-peer 198.51.100.0/24 --allow-dns --allow-dhcp" ;;
    minimal) POLICY_OPTIONS="--collector 192.0.2.10:6514" ;;
    *) echo "record-blocked-cost.sh: POLICY is contract or minimal, not $POLICY" >&2; exit 2 ;;
esac
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
CLI=${AURORASOC_CLI:-$ROOT/src/AuroraSoc.NetlinkIsolation.Cli/bin/Release/net10.0/aurorasoc-isolate}
[[ $(id -u) -eq 0 ]] || { echo "record-blocked-cost.sh: must run as root" >&2; exit 1; }
[[ -x $CLI ]] || { echo "record-blocked-cost.sh: build the CLI first (dotnet build -c Release), or set AURORASOC_CLI" >&2; exit 1; }
WORK=$(mktemp -d)
SCENARIOS=(plain record full)
PREFIX="aurorasoc-cost-$$"
cleanup() {
    for name in "${SCENARIOS[@]}"; do
        ip netns del "$PREFIX-$name" 2>/dev/null || true
    done
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
cc -O2 -o "$WORK/blocked-flood" "$HERE/record-blocked/blocked-flood.c"

for name in "${SCENARIOS[@]}"; do
    options=""
    [[ $name != plain ]] && options="--record-blocked"
    ip netns add "$PREFIX-$name"
    ip netns exec "$PREFIX-$name" bash -c '
        set -e
        ip link set lo up
        ip link add v0 type veth peer name v1
        ip addr add 10.9.0.1/24 dev v0; ip link set v0 up; ip link set v1 up
        sysctl -q -w net.ipv6.conf.all.disable_ipv6=1
        ip route add default via 10.9.0.2 dev v0
        "$1" isolate $3 $2 --ephemeral >/dev/null
    ' bash "$CLI" "$options" "$POLICY_OPTIONS"
    if [[ $name == full ]]; then
        # Port 53 is allowed (DNS) under the contract policy: the fill starts above it.
        ip netns exec "$PREFIX-$name" "$WORK/blocked-flood" 203.0.113.10 54 65482 65482 >/dev/null
        ip netns exec "$PREFIX-$name" "$WORK/blocked-flood" 203.0.113.11 54 2000 2000 >/dev/null
    fi
done

declare -A rates
ratios_record=""
ratios_full=""
for sample in $(seq 1 "$SAMPLES"); do
    declare -A rate=()
    line="sample $sample:"
    for i in 0 1 2; do
        name=${SCENARIOS[$(((sample + i) % 3))]}
        rate[$name]=$(ip netns exec "$PREFIX-$name" "$WORK/blocked-flood" 203.0.113.9 1000 1000 "$PACKETS")
        rates[$name]+="${rate[$name]} "
    done
    for name in "${SCENARIOS[@]}"; do
        line+=" $name ${rate[$name]}"
    done
    echo "$line"
    ratios_record+="$(awk -v r="${rate[record]}" -v p="${rate[plain]}" 'BEGIN { printf "%.4f", r / p }') "
    ratios_full+="$(awk -v f="${rate[full]}" -v p="${rate[plain]}" 'BEGIN { printf "%.4f", f / p }') "
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
echo "policy $POLICY, $SAMPLES samples of $PACKETS datagrams"
echo "median datagrams per CPU-second: plain $(echo "${rates[plain]}" | median), record $(echo "${rates[record]}" | median), full $(echo "${rates[full]}" | median)"
echo "median of the per-sample ratios: record/plain $(echo "$ratios_record" | median), full/plain $(echo "$ratios_full" | median)"
