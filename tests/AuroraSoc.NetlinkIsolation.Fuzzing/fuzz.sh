#!/usr/bin/env bash
# Coverage-guided fuzzing with afl-fuzz (Debian package afl++) and SharpFuzz:
#
#   tests/AuroraSoc.NetlinkIsolation.Fuzzing/fuzz.sh TARGET SECONDS   one target for SECONDS of fuzzing
#   tests/AuroraSoc.NetlinkIsolation.Fuzzing/fuzz.sh all SECONDS      every target, SECONDS shared between them
#
# Publishes the harness, instruments the library assemblies (AuroraSoc.NetlinkIsolation*.dll, never the harness
# itself nor the test-support library it takes its oracle from) with the SharpFuzz.CommandLine tool from
# .config/dotnet-tools.json, and runs afl-fuzz without its UI for the given time from the seeds in
# tests/fuzz-corpus/TARGET/. Prints executions, corpus size and edges found per target; exits 1 if any input crashed
# or hung a target, leaving it under $FUZZ_WORK/findings/TARGET/default/.
# Reproduce a finding with the uninstrumented copy of the harness (instrumented code only runs under afl-fuzz):
#   dotnet $FUZZ_WORK/replay/AuroraSoc.NetlinkIsolation.Fuzzing.dll replay TARGET FILE
#
# Environment: FUZZ_WORK (build and findings; default bin/fuzz beside this script), FUZZ_TIMEOUT_MS (an input that
# runs longer is a hang; default 5000).
set -euo pipefail

if [ $# -ne 2 ] || ! [[ $2 =~ ^[0-9]+$ ]] || [ "$2" -lt 1 ]; then
    echo "usage: $0 TARGET|all SECONDS" >&2
    exit 2
fi
wanted=$1
budget=$2

here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
work=${FUZZ_WORK:-$here/bin/fuzz}
timeout_ms=${FUZZ_TIMEOUT_MS:-5000}
harness=$work/harness/AuroraSoc.NetlinkIsolation.Fuzzing.dll
replay=$work/replay/AuroraSoc.NetlinkIsolation.Fuzzing.dll

command -v afl-fuzz >/dev/null || { echo "fuzz: afl-fuzz not found; install the Debian package afl++ (tests/run.sh does)" >&2; exit 1; }
cd "$repo"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1

echo "== fuzz: publishing and instrumenting the harness in $work/harness"
rm -rf "$work/harness" "$work/replay"
dotnet tool restore >/dev/null
dotnet publish "$here/AuroraSoc.NetlinkIsolation.Fuzzing.csproj" -c Release -o "$work/harness" -p:UseAppHost=false --nologo -v quiet
cp -a "$work/harness" "$work/replay"
for assembly in "$work"/harness/AuroraSoc.NetlinkIsolation*.dll; do
    case "$(basename "$assembly")" in
        AuroraSoc.NetlinkIsolation.Fuzzing.dll | AuroraSoc.NetlinkIsolation.Testing.dll) continue ;;
    esac
    dotnet sharpfuzz "$assembly"
    echo "instrumented $(basename "$assembly")"
done

mapfile -t targets < <(dotnet "$replay" list | cut -f1)
if [ "$wanted" != all ]; then
    printf '%s\n' "${targets[@]}" | grep -qx -- "$wanted" || { echo "fuzz: no target '$wanted' (targets: ${targets[*]})" >&2; exit 2; }
    targets=("$wanted")
fi
seconds=$(( budget / ${#targets[@]} ))
[ "$seconds" -ge 1 ] || seconds=1

# afl-fuzz runs `dotnet`, which carries no AFL instrumentation of its own (SharpFuzz puts it in the assemblies); the
# machine's CPU governor and core_pattern are not ours to change; no curses UI (CI logs); other sessions share the
# cores, so no pinning; the runtime needs far more address space than afl's default limit and a slow start.
export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1
export AFL_FORKSRV_INIT_TMOUT=120000 AFL_FAST_CAL=1

stat_of() { awk -F' *: *' -v key="$1" '$1 == key { print $2 }' "$2"; }

failed=0
summary=()
for target in "${targets[@]}"; do
    out=$work/findings/$target
    seeds=$repo/tests/fuzz-corpus/$target
    rm -rf "$out"
    mkdir -p "$out"
    if ! compgen -G "$seeds/*" >/dev/null; then
        # A target added without a seed folder still runs, from one byte.
        seeds=$out/seed
        mkdir -p "$seeds"
        printf '0' >"$seeds/0"
    fi

    echo "== fuzz: $target for ${seconds} s from $(find "$seeds" -type f | wc -l) seeds (timeout ${timeout_ms} ms per input)"
    set +e
    # -V stops fuzzing after the budget; the outer timeout only guards against afl-fuzz itself stalling.
    timeout --signal=INT --kill-after=30 $(( seconds + 300 )) \
        afl-fuzz -i "$seeds" -o "$out" -t "$timeout_ms" -m none -V "$seconds" -- dotnet "$harness" fuzz "$target" \
        >"$out/afl.log" 2>&1
    status=$?
    set -e

    stats=$out/default/fuzzer_stats
    if [ ! -f "$stats" ]; then
        echo "fuzz: afl-fuzz did not start on $target (exit $status); its log:"
        tail -n 30 "$out/afl.log"
        failed=1
        summary+=("fuzz FAILED $target: afl-fuzz did not start")
        continue
    fi

    crashes=$(find "$out/default/crashes" -name 'id:*' 2>/dev/null | wc -l)
    hangs=$(find "$out/default/hangs" -name 'id:*' 2>/dev/null | wc -l)
    line="$target: $(stat_of execs_done "$stats") execs in $(stat_of run_time "$stats") s ($(stat_of execs_per_sec "$stats")/s), corpus $(stat_of corpus_count "$stats") (+$(stat_of corpus_found "$stats") found), edges $(stat_of edges_found "$stats") of $(stat_of total_edges "$stats"), stability $(stat_of stability "$stats"), crashes $crashes, hangs $hangs"
    echo "$line"
    verdict=passed

    if [ "$status" -ne 0 ]; then
        verdict=FAILED
        # With SharpFuzz the harness is the fork server: an input that hangs or kills the runtime ends the session,
        # and afl-fuzz leaves that input in .cur_input.
        echo "fuzz: afl-fuzz stopped early on $target (exit $status):"
        grep -E 'PROGRAM ABORT|Location|\[-\]' "$out/afl.log" | tail -n 5 || true
        if [ -f "$out/default/.cur_input" ]; then
            cp "$out/default/.cur_input" "$out/default/last-input-before-abort"
            echo "fuzz: the input being run is saved as $out/default/last-input-before-abort"
        fi
    fi

    if [ "$crashes" -ne 0 ] || [ "$hangs" -ne 0 ]; then
        verdict=FAILED
        echo "fuzz: findings for $target under $out/default/{crashes,hangs}:"
        # One process per input: a finding may be one that kills the runtime.
        find "$out/default/crashes" "$out/default/hangs" -name 'id:*' 2>/dev/null | sort | head -n 10 |
            while IFS= read -r finding; do
                timeout 60 dotnet "$replay" replay "$target" "$finding" 2>&1 | grep -v '^ok ' | head -n 12 || true
            done
    fi

    [ "$verdict" = passed ] || failed=1
    summary+=("fuzz $verdict $line")
done

echo "== fuzz summary (${seconds} s per target)"
printf '%s\n' "${summary[@]}" | tee "$work/summary.txt"
if [ "$failed" -ne 0 ]; then
    echo "fuzz: FAILED — see the findings above"
    exit 1
fi
echo "fuzz: no crashes, no hangs"
