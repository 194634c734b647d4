#!/usr/bin/env bash
# Cold start, whole processes: the NativeAOT `aurorasoc-isolate isolate` against `nft -f` applying the same
# isolate transaction (the contract example), measured with hyperfine in a throwaway network namespace.
#
#   sudo benchmarks/cold-start.sh [--cli PATH] [--no-floor] [--out DIR] [--runs N]
#
# --cli       a published aurorasoc-isolate; without it the script publishes one (NativeAOT) into a temporary directory:
#             dotnet publish src/AuroraSoc.NetlinkIsolation.Cli -c Release -r linux-x64 -p:PublishAot=true -o DIR
# --no-floor  skip benchmarks/AuroraSoc.NetlinkIsolation.ColdStartFloor (published NativeAOT the same way): the same
#             isolate with only the library, and again with the CLI's console logger factory, which splits the CLI's
#             cold start into runtime + library, console logging, and the rest (argument parsing, output)
# --out       where hyperfine's markdown and JSON go (default: BenchmarkDotNet.Artifacts/cold-start)
# --runs      runs per command (default 50)
#
# hyperfine itself runs inside the namespace (`ip netns exec NAME hyperfine ...`) with -N (no shell), so every run is
# exactly one process: `nft -f FILE` works in the namespace it starts in; the CLI is given `--netns /run/netns/NAME`
# as a sensor would call it, and enters that same namespace itself (so does the floor). `/bin/true` is the cost of
# starting any process on the machine.
# Both leave the table installed, so every timed run (after the warm-up) replaces it: the same transaction each time.
# The machine's own namespace is never touched: its `nft list ruleset` is compared before and after, and a trap
# deletes the throwaway namespace however the script ends.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cli=""
floor=1
out="$repo/BenchmarkDotNet.Artifacts/cold-start"
runs=50
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cli) cli=$2; shift 2 ;;
        --no-floor) floor=0; shift ;;
        --out) out=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        *) echo "usage: $0 [--cli PATH] [--no-floor] [--out DIR] [--runs N]" >&2; exit 2 ;;
    esac
done

[[ $(id -u) -eq 0 ]] || { echo "needs root (ip netns add, CAP_NET_ADMIN)" >&2; exit 1; }
for tool in hyperfine nft ip; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done

nft_file="$repo/tests/TestVectors/isolate-transaction.nft"
expected_listing="$repo/tests/TestVectors/contract-example.listing.txt"
work=$(mktemp -d /tmp/aurorasoc-cold-start.XXXXXX)
ns="aurorasoc-bench-$$-cold"

cleanup() {
    ip netns del "$ns" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# publish PROJECT NAME: NativeAOT into $work/NAME. --artifacts-path keeps this build out of the project's own obj/ and
# bin/, which other builds may be using.
publish() {
    echo "publishing $1 (NativeAOT) into $work/$2 ..." >&2
    dotnet publish "$repo/$1" -c Release -r linux-x64 -p:PublishAot=true -o "$work/$2" \
        --artifacts-path "$work/artifacts-$2" >"$work/publish-$2.log" 2>&1 \
        || { tail -30 "$work/publish-$2.log" >&2; exit 1; }
}

if [[ -z "$cli" ]]; then
    publish src/AuroraSoc.NetlinkIsolation.Cli cli
    cli="$work/cli/aurorasoc-isolate"
fi
if [[ $floor -eq 1 ]]; then
    publish benchmarks/AuroraSoc.NetlinkIsolation.ColdStartFloor floor
fi
[[ -x "$cli" ]] || { echo "$cli is not an executable" >&2; exit 1; }
cli=$(readlink -f "$cli")

host_before=$(nft list ruleset)
ip netns add "$ns"
[[ $(stat -L -c %i "/run/netns/$ns") != $(stat -L -c %i /proc/self/ns/net) ]] || { echo "refusing: $ns is this shell's namespace" >&2; exit 1; }

# --ephemeral: the same work as nft -f (one transaction, no state file written or locked), and nothing is recorded in
# the machine's state directory.
cli_isolate="$cli isolate --collector 192.0.2.10 --collector [2001:db8::10]:443 --allow-peer 198.51.100.0/24 --allow-dns --allow-dhcp --netns /run/netns/$ns --ephemeral"
nft_isolate="$(command -v nft) -f $nft_file"
floor_isolate="$work/floor/aurorasoc-isolate-floor /run/netns/$ns"
commands=("$nft_isolate" "$cli_isolate")
[[ $floor -eq 0 ]] || commands+=("$floor_isolate" "$floor_isolate --console-logging")

# Each must install the contract example, byte for byte as nft lists it.
for command in "${commands[@]}"; do
    ip netns exec "$ns" nft flush ruleset
    ip netns exec "$ns" $command >/dev/null
    if ! diff -u "$expected_listing" <(ip netns exec "$ns" nft list table inet aurorasoc) >"$work/diff"; then
        echo "'$command' did not install the contract example:" >&2
        cat "$work/diff" >&2
        exit 1
    fi
done

mkdir -p "$out"
names=(-n 'process spawn floor (/bin/true)' -n 'nft -f isolate-transaction.nft' -n 'aurorasoc-isolate isolate (NativeAOT)')
[[ $floor -eq 0 ]] || names+=(-n 'floor: library only (NativeAOT)' -n 'floor + CLI console logger factory (NativeAOT)')
ip netns exec "$ns" hyperfine -N --warmup 5 --runs "$runs" "${names[@]}" /bin/true "${commands[@]}" \
    --export-markdown "$out/cold-start.md" --export-json "$out/cold-start.json"

# Medians (hyperfine's markdown shows means, which single slow runs on a shared machine pull up).
if command -v python3 >/dev/null; then
    python3 - "$out/cold-start.json" <<'PY' | tee "$out/cold-start-medians.md"
import json, sys
results = json.load(open(sys.argv[1]))["results"]
print("| Command | Median [ms] | Mean [ms] | Min [ms] |")
print("|:---|---:|---:|---:|")
for r in results:
    print(f"| `{r['command']}` | {r['median'] * 1000:.1f} | {r['mean'] * 1000:.1f} | {r['min'] * 1000:.1f} |")
PY
fi

host_after=$(nft list ruleset)
if [[ "$host_before" != "$host_after" ]]; then
    echo "the machine's own ruleset changed during the run; this must never happen" >&2
    exit 1
fi

echo >&2
echo "results: $out/cold-start.md, $out/cold-start-medians.md, $out/cold-start.json (host ruleset unchanged)" >&2
