#!/usr/bin/env bash
# Cold start, whole processes: the NativeAOT `aurorasoc-isolate` against what a script would otherwise run, and against
# the floor of starting any NativeAOT program — the targets of docs/benchmarks.md ("Cold start"):
#
#   isolate    aurorasoc-isolate isolate (contract example)   vs  nft -f of the same transaction       ≤ 0.6 ×
#   status     aurorasoc-isolate status                       vs  nft list table inet aurorasoc        ≤ 0.6 ×
#   version    aurorasoc-isolate --version                    vs  a NativeAOT program that returns 0   ≤ 1.5 ×
#   size       the aurorasoc-isolate binary                                                             ≤ 3 MiB
#
# and the kernel's floor (docs/adr/0006-additions-only-first-isolate.md; medians for the first isolate, means of the
# shared-floor ones, whose times move in steps of the kernel's tick):
#
#   first      unshare -n aurorasoc-isolate isolate --ephemeral  vs  unshare -n nft -f of the replace transaction  ≤ 0.5 ×
#                                                                vs  unshare -n nft -f of its additions only       ≤ 1.5 ×
#              (the default, which records the intent with fsync in a temporary state directory, is reported beside it;
#              every run in a namespace of its own, which dies with the process)
#   reisolate  aurorasoc-isolate isolate over the present table  vs  nft -f of the replace transaction              ≤ 1.05 ×
#   status     aurorasoc-isolate status                          vs  nft list table inet aurorasoc                 ≤ 1.0 ×
#   unisolate  aurorasoc-isolate unisolate of the present table  vs  nft -f of the delete transaction               ≤ 1.05 ×
#   hand-over  aurorasoc-isolate isolate --netns over a present table, the state directory served by a guard
#                                                                vs  the same with a state directory no guard serves ≤ 1.1 ×
#   close      strace -T of close() of the netfilter socket after the first isolate                               ≤ 0.1 ms
#
#   sudo benchmarks/cold-start.sh [--cli PATH] [--floor PATH] [--rounds N] [--runs N] [--first-rounds N] [--mean-rounds N]
#                                 [--realtime] [--out DIR] [--no-docs]
#
# --cli     a published aurorasoc-isolate; without it the script publishes one into a temporary directory with
#           exactly `dotnet publish src/AuroraSoc.NetlinkIsolation.Cli -c Release -r linux-x64 -p:PublishAot=true`
# --floor   a published aurorasoc-isolate-floor (benchmarks/AuroraSoc.NetlinkIsolation.ColdStartFloor: the same
#           isolate with only the library), else published the same way
# The "return 0" program is always built here, from a two-line project in the temporary directory (`return 0;`,
# NativeAOT, InvariantGlobalization like the CLI): the smallest NativeAOT process, nothing of this repository in it.
# --rounds  rounds per comparison (default 8); --runs: runs of each command per round (default 10)
# --first-rounds  rounds of the first-isolate comparison, 5 runs of each command per round (default 6: 30 runs each)
# --mean-rounds   rounds of each shared-floor comparison, 10 runs of each command per round (default 20: 200 runs each)
# --realtime run hyperfine (and so every timed process) under SCHED_FIFO priority 50 (`chrt -f 50`): on a shared, loaded
#           machine the other processes then cannot preempt a run, which otherwise inflates every time several-fold.
#           The kernel keeps 5 % of each CPU for them (sched_rt_runtime_us), and the runs use one CPU at a time.
#           Not for the shared-floor comparisons (reisolate, floor-status, unisolate, hand-over), which always run at
#           normal priority: their time ends when an RCU grace period does, which needs normal-priority kernel threads
#           (rcu_preempt, the kworker running nf_tables' destroy work), and a SCHED_FIFO process with a second runnable
#           thread (the .NET runtime's) holds them off — measured 2026-12-08: commit to the end of close 18.2 ms under
#           chrt against nft's 15.0, and 15.5 against 16.7 at normal priority (docs/benchmarks.md, "Cold start").
#
# Random start phase (the shared-floor comparisons): a grace period ends on a 4 ms tick, and a run that starts right
# after the previous one ended starts on that tick too, so every run meets the tick at the same point of its own work
# and a fixed 0.2 ms difference in when it commits decides whole ticks, the same way in every run. An operator's
# command starts at a random point of the tick; so does every timed run here: hyperfine's --prepare sleeps a random
# 0–4 ms (after putting the table back, for unisolate).
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
first_rounds=6
mean_rounds=20
realtime=()
out="$repo/BenchmarkDotNet.Artifacts/cold-start"
docs=1
usage="usage: $0 [--cli PATH] [--floor PATH] [--rounds N] [--runs N] [--first-rounds N] [--mean-rounds N] [--realtime] [--out DIR] [--no-docs]"
while [[ $# -gt 0 ]]; do
    case "$1" in
        --cli) cli=$2; shift 2 ;;
        --floor) floor=$2; shift 2 ;;
        --rounds) rounds=$2; shift 2 ;;
        --runs) runs=$2; shift 2 ;;
        --first-rounds) first_rounds=$2; shift 2 ;;
        --mean-rounds) mean_rounds=$2; shift 2 ;;
        --realtime) realtime=(chrt -f 50); shift ;;
        --out) out=$2; shift 2 ;;
        --no-docs) docs=0; shift ;;
        *) echo "$usage" >&2; exit 2 ;;
    esac
done

[[ $(id -u) -eq 0 ]] || { echo "needs root (ip netns add, CAP_NET_ADMIN)" >&2; exit 1; }
for tool in hyperfine nft ip python3 unshare strace perl; do
    command -v "$tool" >/dev/null || { echo "$tool is not installed" >&2; exit 1; }
done

nft_file="$repo/tests/TestVectors/isolate-transaction.nft"
nft_delete_file="$repo/tests/TestVectors/unisolate-transaction.nft"
expected_listing="$repo/tests/TestVectors/contract-example.listing.txt"
work=$(mktemp -d /tmp/aurorasoc-cold-start.XXXXXX)
# Whatever the CLI records or locks stays in this run's directory, never in the machine's /var/lib/aurorasoc-isolate.
export AURORASOC_STATE_DIR="$work/state"
ns="aurorasoc-bench-$$-cold"
ns_guarded="aurorasoc-bench-$$-guarded"
ns_direct="aurorasoc-bench-$$-direct"
guard_pid=""

cleanup() {
    if [[ -n "$guard_pid" ]]; then
        kill "$guard_pid" 2>/dev/null || true
        wait "$guard_pid" 2>/dev/null || true
    fi
    for name in "$ns" "$ns_guarded" "$ns_direct"; do
        ip netns del "$name" 2>/dev/null || true
    done
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

cli_source="the CLI published from this tree"
if [[ -z "$cli" ]]; then
    publish src/AuroraSoc.NetlinkIsolation.Cli cli
    cli="$work/cli/aurorasoc-isolate"
else
    cli_source="the CLI given with --cli"
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

# The first isolate: every run in a namespace of its own (unshare -n), which dies with the process. The additions-only
# file is the replace transaction without its leading `add table` and `delete table` lines.
nft_additions_file="$work/additions-only.nft"
if [[ "$(head -2 "$nft_file")" != $'add table inet aurorasoc\ndelete table inet aurorasoc' ]]; then
    echo "$nft_file does not start with the replace lines this script strips" >&2
    exit 1
fi
tail -n +3 "$nft_file" >"$nft_additions_file"
policy="--collector 192.0.2.10 --collector [2001:db8::10]:443 --allow-peer 198.51.100.0/24 --allow-dns --allow-dhcp"
first_state="$work/first-state" # records the target "host" of each run's own namespace; no guard serves it
unshare=$(command -v unshare)
first_cli="$cli isolate $contract"
first_cli_recorded="$cli isolate $policy --state-dir $first_state"
first_nft="$nft -f $nft_file"
first_nft_additions="$nft -f $nft_additions_file"
for command in "$first_cli" "$first_cli_recorded" "$first_nft" "$first_nft_additions"; do
    if ! diff -u "$expected_listing" <("$unshare" -n sh -c "$command >/dev/null && $nft list table inet aurorasoc") >"$work/diff"; then
        echo "'$command' did not install the contract example in a fresh namespace:" >&2
        cat "$work/diff" >&2
        exit 1
    fi
done

# The hand-over: the same command and recording (a state directory, --netns, over a present table) in two namespaces,
# one state directory served by a guard (started here, stopped by the trap), the other by none.
ip netns add "$ns_guarded"
ip netns add "$ns_direct"
guarded_state="$work/guarded-state"
direct_state="$work/direct-state"
mkdir -m 700 "$guarded_state" "$direct_state"
"$cli" guard --state-dir "$guarded_state" >"$work/guard.log" 2>&1 &
guard_pid=$!
for _ in $(seq 100); do
    [[ -S "$guarded_state/guard.sock" ]] && break
    sleep 0.1
done
[[ -S "$guarded_state/guard.sock" ]] || { echo "the guard did not start:" >&2; cat "$work/guard.log" >&2; exit 1; }
handover="$cli isolate $policy --state-dir $guarded_state --netns /run/netns/$ns_guarded"
direct="$cli isolate $policy --state-dir $direct_state --netns /run/netns/$ns_direct"
$handover >/dev/null
$direct >/dev/null
for name in "$ns_guarded" "$ns_direct"; do
    # The guard's table is owned: nft adds its owner's name and the flags, then an empty line.
    ip netns exec "$name" nft list table inet aurorasoc | sed -e 's/ # progname .*$//' -e '/^[[:space:]]flags /,/^$/d' \
        | diff -u "$expected_listing" - >"$work/diff" || { echo "isolate --netns in $name:" >&2; cat "$work/diff" >&2; exit 1; }
done

mkdir -p "$out"
rm -f "$out"/*.json

# compare GROUP NAME1 COMMAND1 NAME2 COMMAND2 ...: ROUNDS hyperfine calls with all the group's commands, the order
# reversed every other round; hyperfine's JSON per round goes to $out/GROUP-ROUND.json. ROUNDS and RUNS default to
# --rounds and --runs; PREPARE, when set, runs before every timed run (hyperfine --prepare).
compare() {
    local group=$1
    shift
    local -a forward=("$@") order
    local round i
    local group_rounds=${ROUNDS:-$rounds} group_runs=${RUNS:-$runs}
    local -a prepare=()
    [[ -n "${PREPARE:-}" ]] && prepare=(--prepare "$PREPARE")
    for ((round = 1; round <= group_rounds; round++)); do
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
        echo "$group: round $round of $group_rounds" >&2
        local -a priority=("${realtime[@]}")
        [[ -n "${NORMAL_PRIORITY:-}" ]] && priority=()
        in_ns "${priority[@]}" hyperfine -N --warmup 3 --runs "$group_runs" --style none "${prepare[@]}" "${args[@]}" \
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

# The kernel's floor. The first isolate by medians; the rest by means (ADR 0006).
ROUNDS=$first_rounds RUNS=5 compare first 'unshare -n aurorasoc-isolate isolate --ephemeral' "$unshare -n $first_cli" \
    'unshare -n nft -f isolate-transaction.nft' "$unshare -n $first_nft" \
    'unshare -n nft -f additions only' "$unshare -n $first_nft_additions" \
    'unshare -n aurorasoc-isolate isolate (intent recorded)' "$unshare -n $first_cli_recorded" \
    'unshare -n /bin/true' "$unshare -n /bin/true"
# The shared floor: normal priority, a random start phase (see the header).
phase="$work/random-phase"
cat >"$phase" <<'SH'
#!/bin/sh
# Runs its arguments, if any (putting the table back), then sleeps a random 0-4 ms: the next timed run starts at a
# random point of the kernel's tick.
[ $# -eq 0 ] || "$@" >/dev/null 2>&1
exec perl -e 'select(undef, undef, undef, rand(0.004))'
SH
chmod +x "$phase"
ROUNDS=$mean_rounds RUNS=10 NORMAL_PRIORITY=1 PREPARE="$phase" compare reisolate 'aurorasoc-isolate isolate (table present)' "$cli_isolate" \
    'nft -f isolate-transaction.nft' "$nft_isolate"
ROUNDS=$mean_rounds RUNS=10 NORMAL_PRIORITY=1 PREPARE="$phase" compare floor-status 'aurorasoc-isolate status' "$cli status" \
    'nft list table inet aurorasoc' "$nft list table inet aurorasoc"
ROUNDS=$mean_rounds RUNS=10 NORMAL_PRIORITY=1 PREPARE="$phase $nft -f $nft_file" compare unisolate 'aurorasoc-isolate unisolate' "$cli unisolate" \
    'nft -f unisolate-transaction.nft' "$nft -f $nft_delete_file"
ROUNDS=$mean_rounds RUNS=10 NORMAL_PRIORITY=1 PREPARE="$phase" compare handover 'isolate --netns, handed to a guard' "$handover" \
    'isolate --netns, no guard' "$direct"

# close(2) of the netfilter socket, strace -T, after the first isolate and after a commit that deleted (the replace).
close_times() {
    local name=$1 setup=$2
    shift 2
    local i
    for ((i = 1; i <= 25; i++)); do
        "$unshare" -n sh -c "$setup >/dev/null 2>&1; exec strace -f -qq -T -e trace=socket,close -o $work/close.txt \"\$@\" >/dev/null 2>&1" sh "$@"
        python3 - "$work/close.txt" <<'PY'
import re, sys
lines = open(sys.argv[1]).read().splitlines()
fd = next(m.group(1) for line in lines if "NETLINK_NETFILTER" in line for m in [re.search(r"= (\d+) <", line)] if m)
closes = [float(m.group(1)) for line in lines for m in [re.search(rf"close\({fd}\)\s+= 0 <([0-9.]+)>", line)] if m]
print(f"{closes[-1] * 1e6:.0f}")
PY
    done >"$out/close-$name.txt"
}
echo "close: strace -T, 25 runs each" >&2
close_times first-cli true $cli isolate $contract
close_times first-nft-additions true $nft -f "$nft_additions_file"
close_times replace-cli "$nft -f $nft_file" $cli isolate $contract
close_times replace-nft "$nft -f $nft_file" $nft -f "$nft_file"
load_after=$(cut -d' ' -f1-3 /proc/loadavg)

host_after=$(nft list ruleset)
if [[ "$host_before" != "$host_after" ]]; then
    echo "the machine's own ruleset changed during the run; this must never happen" >&2
    exit 1
fi

size=$(stat -c %s "$cli")
commit=$(git -C "$repo" describe --always --dirty 2>/dev/null || echo unknown)
python3 - "$out" "$size" "$rounds" "$runs" "$started" "$load_before" "$load_after" "$commit" \
    "$(hyperfine --version)" "$(nft --version)" "${realtime[*]:-}" "$cli_source" >"$out/cold-start.md" <<'PY'
import glob, json, os, statistics, sys

out, size, rounds, runs, started, load_before, load_after, commit, hyperfine, nft, realtime, cli_source = sys.argv[1:]
targets = {"isolate": 0.6, "status": 0.6, "version": 1.5}

def rounds_of(group):
    return [json.load(open(f))["results"] for f in sorted(glob.glob(os.path.join(out, f"{group}-*.json")))]

def ms(seconds):
    return f"{seconds * 1000:.2f}"

lines = [
    f"`benchmarks/cold-start.sh`, {started} UTC, commit {commit}, {cli_source}; {hyperfine}, {nft}; {rounds} alternating rounds × "
    f"{runs} runs per command (3 warm-ups per round){', under `' + realtime + '`' if realtime else ''}, "
    f"load average {load_before} → {load_after}. The second table (the kernel's floor) at normal priority, every run "
    f"of its shared-floor rows started at a random point of the 4 ms tick (the script's header says why).",
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

# The kernel's floor: ratios of the medians (first isolate) or of the means (the rest) over all runs of each command.
floor = [
    ("first", [(0, 1, "median", 0.5), (0, 2, "median", 1.5)]),
    ("reisolate", [(0, 1, "mean", 1.05)]),
    ("floor-status", [(0, 1, "mean", 1.0)]),
    ("unisolate", [(0, 1, "mean", 1.05)]),
    ("handover", [(0, 1, "mean", 1.1)]),
]
lines += [
    "",
    "| comparison | command | runs | median [ms] | mean [ms] | min [ms] | ratio | target | |",
    "|:---|:---|---:|---:|---:|---:|---:|---:|:---|",
]
for group, pairs in floor:
    per_round = rounds_of(group)
    names = [r["command"] for r in per_round[0]]
    times = {name: [t for results in per_round for r in results if r["command"] == name for t in r["times"]] for name in names}
    for i, name in enumerate(names):
        t = times[name]
        lines.append(f"| {group if i == 0 else ''} | `{name}` | {len(t)} | {ms(statistics.median(t))} | {ms(statistics.mean(t))} | {ms(min(t))} | | | |")
    for a, b, statistic, target in pairs:
        measure = statistics.median if statistic == "median" else statistics.mean
        ratio = measure(times[names[a]]) / measure(times[names[b]])
        met = "met" if ratio <= target else "**missed**"
        lines.append(f"| | {statistic}s: `{names[a]}` / `{names[b]}` | | | | | {ratio:.2f} × | ≤ {target} × | {met} |")

lines += [
    "",
    "| close(2) of the netfilter socket (strace -T, 25 runs, each in a fresh namespace) | median [µs] | max [µs] | target | |",
    "|:---|---:|---:|---:|:---|",
]
for name, label, target in [
    ("first-cli", "aurorasoc-isolate isolate, first isolate (additions only)", 100),
    ("first-nft-additions", "nft -f additions only", None),
    ("replace-cli", "aurorasoc-isolate isolate over a present table (the commit deletes)", None),
    ("replace-nft", "nft -f isolate-transaction.nft over a present table", None),
]:
    values = [int(v) for v in open(os.path.join(out, f"close-{name}.txt")).read().split()]
    median = statistics.median(values)
    verdict = ("met" if median <= target else "**missed**") if target else ""
    lines.append(f"| {label} | {median:.0f} | {max(values)} | {'≤ ' + str(target) + ' µs' if target else ''} | {verdict} |")
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
