#!/usr/bin/env bash
# Cold start, whole processes: the NativeAOT `aurorasoc-isolate` against what a script would otherwise run, and against
# the floor of starting any NativeAOT program — the targets of docs/benchmarks.md ("Cold start"):
#
#   isolate    aurorasoc-isolate isolate (contract example)   vs  nft -f of the same transaction       ≤ 0.6 ×
#   status     aurorasoc-isolate status                       vs  nft list table inet aurorasoc        ≤ 0.6 ×
#   version    aurorasoc-isolate --version                    vs  a NativeAOT program that returns 0   ≤ 1.5 ×
#   size       the aurorasoc-isolate binary                                                             ≤ 3 MiB
#
#   sudo benchmarks/cold-start.sh [--cli PATH] [--floor PATH] [--rounds N] [--runs N] [--realtime] [--out DIR] [--no-docs]
#
# --cli     a published aurorasoc-isolate; without it the script publishes one into a temporary directory with
#           exactly `dotnet publish src/AuroraSoc.NetlinkIsolation.Cli -c Release -r linux-x64 -p:PublishAot=true`
# --floor   a published aurorasoc-isolate-floor (benchmarks/AuroraSoc.NetlinkIsolation.ColdStartFloor: the same
#           isolate with only the library), else published the same way
# The "return 0" program is always built here, from a two-line project in the temporary directory (`return 0;`,
# NativeAOT, InvariantGlobalization like the CLI): the smallest NativeAOT process, nothing of this repository in it.
# --rounds  rounds per comparison (default 8); --runs: runs of each command per round (default 10)
# --realtime run hyperfine (and so every timed process) under SCHED_FIFO priority 50 (`chrt -f 50`): on a shared, loaded
#           machine the other processes then cannot preempt a run, which otherwise inflates every time several-fold.
#           The kernel keeps 5 % of each CPU for them (sched_rt_runtime_us), and the runs use one CPU at a time.
# --out     where hyperfine's JSON and the summary go (default: BenchmarkDotNet.Artifacts/cold-start)
# --no-docs do not write the summary into docs/benchmarks.md (between its cold-start.sh markers)
#
# Paired and alternating: each comparison runs in rounds, one hyperfine call per round with both commands, the order
# swapped every round, so drift in the machine's load falls on both alike. The summary gives each command's median
# over all runs and the median of the per-round ratios. Everything runs inside one throwaway network namespace:
# hyperfine itself is started with `ip netns exec`, with -N (no shell), so every timed run is exactly one process that
# starts in that namespace — the CLI and nft alike act on "their own" namespace, without --netns. (Context rows add the
# CLI entering the namespace from outside with --netns, and the library alone.) The machine's own namespace is never
# touched: its `nft list ruleset` is compared before and after, and a trap deletes the namespace however the script ends.
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
cli=""
floor=""
rounds=8
runs=10
realtime=()
out="$repo/BenchmarkDotNet.Artifacts/cold-start"
docs=1
usage="usage: $0 [--cli PATH] [--floor PATH] [--rounds N] [--runs N] [--realtime] [--out DIR] [--no-docs]"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cli) cli=$2; shift 2 ;;
        --floor) floor=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --realtime) realtime=(chrt -f 50); shift ;;
        --out) out=$2; shift 2 ;;
        --no-docs) docs=0; shift ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done

[[ $(id -u) -eq 0 ]] || { echo "needs root (ip netns add, CAP_NET_ADMIN)" >&2; exit 1; }
for tool in hyperfine nft ip python3; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done

nft_file="$repo/tests/TestVectors/isolate-transaction.nft"
expected_listing="$repo/tests/TestVectors/contract-example.listing.txt"
work=$(mktemp -d /tmp/aurorasoc-cold-start.XXXXXX)
# Whatever the CLI records or locks stays in this run's directory, never in the machine's /var/lib/aurorasoc-isolate.
export AURORASOC_STATE_DIR="$work/state"
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
    dotnet publish "$(cd "$repo" && realpath "$1")" -c Release -r linux-x64 -p:PublishAot=true -o "$work/$2" \
        --artifacts-path "$work/artifacts-$2" >"$work/publish-$2.log" 2>&1 \
        || { tail -30 "$work/publish-$2.log" >&2; exit 1; }
    if grep -E 'warning (IL|CS|CA)' "$work/publish-$2.log" >&2; then
        echo "the publish of $1 has warnings (above)" >&2
        exit 1
    fi
}

if [[ -z "$cli" ]]; then
    publish src/AuroraSoc.NetlinkIsolation.Cli cli
    cli="$work/cli/aurorasoc-isolate"
fi
if [[ -z "$floor" ]]; then
    publish benchmarks/AuroraSoc.NetlinkIsolation.ColdStartFloor floor
    floor="$work/floor/aurorasoc-isolate-floor"
fi
mkdir -p "$work/return-zero"
cat >"$work/return-zero/return-zero.csproj" <<'XML'
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <OutputType>Exe</OutputType>
    <TargetFramework>net10.0</TargetFramework>
    <InvariantGlobalization>true</InvariantGlobalization>
  </PropertyGroup>
</Project>
XML
echo 'return 0;' >"$work/return-zero/Program.cs"
publish "$work/return-zero" return-zero-bin
return_zero="$work/return-zero-bin/return-zero"
for binary in "$cli" "$floor" "$return_zero"; do
    [[ -x "$binary" ]] || { echo "$binary is not an executable" >&2; exit 1; }
done
cli=$(readlink -f "$cli")
floor=$(readlink -f "$floor")
nft=$(command -v nft)

host_before=$(nft list ruleset)
ip netns add "$ns"
[[ $(stat -L -c %i "/run/netns/$ns") != $(stat -L -c %i /proc/self/ns/net) ]] || { echo "refusing: $ns is this shell's namespace" >&2; exit 1; }
in_ns() { ip netns exec "$ns" "$@"; }

# --ephemeral: the same work as nft -f (one transaction, no state file written or locked), and nothing is recorded in
# the machine's state directory.
contract="--collector 192.0.2.10 --collector [2001:db8::10]:443 --allow-peer 198.51.100.0/24 --allow-dns --allow-dhcp --ephemeral"
cli_isolate="$cli isolate $contract"
nft_isolate="$nft -f $nft_file"

# Each isolate must install the contract example, byte for byte as nft lists it; the status commands must find it.
for command in "$nft_isolate" "$cli_isolate" "$cli_isolate --netns /run/netns/$ns" "$floor --here"; do
    in_ns nft flush ruleset
    in_ns $command >/dev/null
    if ! diff -u "$expected_listing" <(in_ns nft list table inet aurorasoc) >"$work/diff"; then
        echo "'$command' did not install the contract example:" >&2
        cat "$work/diff" >&2
        exit 1
    fi
done
in_ns "$cli" status >/dev/null || { echo "'aurorasoc-isolate status' did not report isolated" >&2; exit 1; }

mkdir -p "$out"
rm -f "$out"/*.json

# compare GROUP NAME1 COMMAND1 NAME2 COMMAND2 ...: ROUNDS hyperfine calls with all the group's commands, the order
# reversed every other round; hyperfine's JSON per round goes to $out/GROUP-ROUND.json.
compare() {
    local group=$1
    shift
    local -a forward=("$@") order
    local round i
    for ((round = 1; round <= rounds; round++)); do
        order=()
        if ((round % 2 == 1)); then
            order=("${forward[@]}")
        else
            for ((i = ${#forward[@]} - 2; i >= 0; i -= 2)); do
                order+=("${forward[i]}" "${forward[i + 1]}")
            done
        fi
        local -a args=()
        for ((i = 0; i < ${#order[@]}; i += 2)); do
            args+=(-n "${order[i]}" "${order[i + 1]}")
        done
        echo "$group: round $round of $rounds" >&2
        in_ns "${realtime[@]}" hyperfine -N --warmup 3 --runs "$runs" --style none "${args[@]}" \
            --export-json "$out/$group-$(printf %02d "$round").json" >/dev/null
    done
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
started=$(date -u '+%Y-%m-%d %H:%M')
# isolate first: it leaves the table installed, which status then reads (isolated, exit 0).
compare isolate 'aurorasoc-isolate isolate' "$cli_isolate" 'nft -f isolate-transaction.nft' "$nft_isolate"
compare status 'aurorasoc-isolate status' "$cli status" 'nft list table inet aurorasoc' "$nft list table inet aurorasoc"
compare version 'aurorasoc-isolate --version' "$cli --version" 'NativeAOT return 0' "$return_zero"
compare context '/bin/true' /bin/true 'library alone: isolate (floor --here)' "$floor --here" \
    'aurorasoc-isolate isolate --netns PATH' "$cli_isolate --netns /run/netns/$ns"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

host_after=$(nft list ruleset)
if [[ "$host_before" != "$host_after" ]]; then
    echo "the machine's own ruleset changed during the run; this must never happen" >&2
    exit 1
fi

size=$(stat -c %s "$cli")
commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
python3 - "$out" "$size" "$rounds" "$runs" "$started" "$load_before" "$load_after" "$commit" \
    "$(hyperfine --version)" "$(nft --version)" "${realtime[*]:-}" >"$out/cold-start.md" <<'PY'
import glob, json, os, statistics, sys

out, size, rounds, runs, started, load_before, load_after, commit, hyperfine, nft, realtime = sys.argv[1:]
targets = {"isolate": 0.6, "status": 0.6, "version": 1.5}

def rounds_of(group):
    return [json.load(open(f))["results"] for f in sorted(glob.glob(os.path.join(out, f"{group}-*.json")))]

def ms(seconds):
    return f"{seconds * 1000:.2f}"

lines = [
    f"`benchmarks/cold-start.sh`, {started} UTC, commit {commit}; {hyperfine}, {nft}; {rounds} alternating rounds × "
    f"{runs} runs per command (3 warm-ups per round){', under `' + realtime + '`' if realtime else ''}, "
    f"load average {load_before} → {load_after}.",
    "",
    "| comparison | command | median [ms] | min [ms] | ratio (median of rounds) | target | |",
    "|:---|:---|---:|---:|---:|---:|:---|",
]
for group in ("isolate", "status", "version", "context"):
    per_round = rounds_of(group)
    names = [r["command"] for r in per_round[0]]
    times = {name: [t for results in per_round for r in results if r["command"] == name for t in r["times"]] for name in names}
    first, second = names[0], names[1]
    ratio = statistics.median(
        statistics.median(next(r for r in results if r["command"] == first)["times"])
        / statistics.median(next(r for r in results if r["command"] == second)["times"])
        for results in per_round)
    # Rows in the order the group was declared (round 1), whichever ran first later.
    for i, name in enumerate(names):
        row = [group if i == 0 else "", f"`{name}`", ms(statistics.median(times[name])), ms(min(times[name]))]
        if group in targets and i == 0:
            met = "met" if ratio <= targets[group] else "**missed**"
            row += [f"{ratio:.2f} ×", f"≤ {targets[group]} ×", met]
        else:
            row += ["", "", ""]
        lines.append("| " + " | ".join(row) + " |")
mib = int(size) / (1024 * 1024)
lines.append(f"| size | `aurorasoc-isolate` binary | {int(size):,} B = {mib:.2f} MiB | | | ≤ 3 MiB | {'met' if mib <= 3 else '**missed**'} |")
print("\n".join(lines))
PY
cat "$out/cold-start.md"

if [[ $docs -eq 1 ]]; then
    python3 - "$repo/docs/benchmarks.md" "$out/cold-start.md" <<'PY'
import sys
path, table = sys.argv[1], open(sys.argv[2]).read().rstrip("\n")
begin, end = "<!-- cold-start.sh: begin -->", "<!-- cold-start.sh: end -->"
text = open(path).read()
if begin not in text or end not in text:
    sys.exit(f"{path} has no '{begin}' ... '{end}' section to replace")
head, rest = text.split(begin, 1)
_, tail = rest.split(end, 1)
open(path, "w").write(f"{head}{begin}\n{table}\n{end}{tail}")
PY
    echo "docs/benchmarks.md: cold-start section replaced" >&2
fi
echo "results: $out/cold-start.md and the hyperfine JSON of every round in $out (host ruleset unchanged)" >&2
