#!/usr/bin/env bash
# allowlist.sh — whole-process timings of a large allowlist: aurorasoc-isolate --allow-peers-from FILE against
# `nft -f` of the equivalent ruleset *already merged* (what the CLI installed, as `nft list table` prints it), with
# the kernel's floor beside each (the time of nft's own sendmsg for the same batch, from strace -T) and the max RSS
# of both (/usr/bin/time -v). Lists: 1,000 / 10,000 / 100,000 random IPv4 prefixes /20../32 with overlaps (seeded).
#
# Usage (as root):  benchmarks/allowlist.sh --cli PATH [--runs N] [--sizes "1000 10000 100000"]
#   --cli   a published aurorasoc-isolate (NativeAOT: dotnet publish src/AuroraSoc.NetlinkIsolation.Cli -c Release
#           -r linux-x64 -p:PublishAot=true -o DIR)
#
# Safety: everything runs inside one throwaway network namespace (ip netns add), deleted by a trap however the
# script ends; the CLI runs with --ephemeral (no state directory is written).
set -euo pipefail

CLI=""
RUNS=5
SIZES="1000 10000 100000"
while [[ $# -gt 0 ]]; do
    case $1 in
        --cli) CLI=$2; shift 2 ;;
        --runs) RUNS=$2; shift 2 ;;
        --sizes) SIZES=$2; shift 2 ;;
        *) echo "allowlist.sh: unknown argument $1" >&2; exit 2 ;;
    esac
done
[[ $(id -u) -eq 0 ]] || { echo "allowlist.sh: must run as root" >&2; exit 1; }
[[ -x "$CLI" ]] || { echo "allowlist.sh: --cli PATH to a published aurorasoc-isolate is required" >&2; exit 2; }
for tool in nft strace python3 /usr/bin/time ip; do
    command -v "$tool" >/dev/null || { echo "allowlist.sh: $tool not found" >&2; exit 1; }
done

NS="aurorasoc-bench-allowlist-$$"
WORK=$(mktemp -d)
trap 'ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"' EXIT
ip netns add "$NS"
IN=(ip netns exec "$NS")

# A list of N prefixes: random /20../32 networks (host bits cleared) in 11.0.0.0-222.255.255.255, loopback avoided.
generate() {
    python3 - "$1" <<'PY'
import random, sys
n = int(sys.argv[1]); random.seed(n)
lengths = [20, 22, 24, 24, 26, 28, 30, 32, 32, 32]
for _ in range(n):
    p = random.choice(lengths)
    a = random.randrange(0x0b000000, 0xdf000000) & (0xffffffff ^ ((1 << (32 - p)) - 1))
    if a >> 24 == 127: a ^= 0x01000000
    print("%d.%d.%d.%d/%d" % (a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255, p))
PY
}

# median of numbers on stdin
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# run_timed OUT CMD...: appends "seconds maxrss_kib" of one run to OUT
run_timed() {
    local out=$1; shift
    /usr/bin/time -f "%e %M" -o "$WORK/time" "$@" > /dev/null
    cat "$WORK/time" >> "$out"
}

printf '| peers (given → merged) | CLI whole process | nft -f merged | ratio | kernel floor (nft sendmsg) | max RSS CLI | max RSS nft |\n'
printf '|---|---|---|---|---|---|---|\n'
for n in $SIZES; do
    list="$WORK/peers-$n.txt"
    generate "$n" > "$list"
    "${IN[@]}" nft flush ruleset
    "${IN[@]}" "$CLI" isolate --collector 192.0.2.10:6514 --allow-peers-from "$list" --ephemeral --json > "$WORK/isolate.json"
    merged=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["peers"])' "$WORK/isolate.json")
    "${IN[@]}" nft list table inet aurorasoc > "$WORK/merged-$n.nft"
    : > "$WORK/cli-$n"; : > "$WORK/nft-$n"; : > "$WORK/floor-$n"
    for ((r = 0; r < RUNS; r++)); do
        # Alternate who goes first; each starts from an empty ruleset (the first isolate, as nft -f into nothing).
        "${IN[@]}" nft flush ruleset
        run_timed "$WORK/cli-$n" "${IN[@]}" "$CLI" isolate --collector 192.0.2.10:6514 --allow-peers-from "$list" --ephemeral
        "${IN[@]}" nft flush ruleset
        run_timed "$WORK/nft-$n" "${IN[@]}" nft -f "$WORK/merged-$n.nft"
        "${IN[@]}" nft flush ruleset
        "${IN[@]}" strace -T -s 0 -e trace=sendmsg -o "$WORK/strace" nft -f "$WORK/merged-$n.nft"
        # the batch is nft's largest sendmsg; strace -T prints its duration as <seconds> at the end of the line
        grep -o '<[0-9.]*>$' "$WORK/strace" | tr -d '<>' | sort -g | tail -n 1 >> "$WORK/floor-$n"
    done
    cli=$(cut -d' ' -f1 "$WORK/cli-$n" | median); nft=$(cut -d' ' -f1 "$WORK/nft-$n" | median)
    cli_rss=$(cut -d' ' -f2 "$WORK/cli-$n" | median); nft_rss=$(cut -d' ' -f2 "$WORK/nft-$n" | median)
    floor=$(median < "$WORK/floor-$n")
    ratio=$(awk -v a="$cli" -v b="$nft" 'BEGIN { printf "%.2f", a / b }')
    printf '| %s → %s | %.3f s | %.3f s | %s× | %.3f s | %d MiB | %d MiB |\n' "$n" "$merged" "$cli" "$nft" "$ratio" "$floor" $((cli_rss / 1024)) $((nft_rss / 1024))
done
