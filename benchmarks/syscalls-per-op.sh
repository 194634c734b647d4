#!/usr/bin/env bash
# System calls per operation, from strace -c -f: each operation runs COUNT times in the benchmarks' `ops` mode
# (same classes, same throwaway namespaces as the BenchmarkDotNet run), and once with COUNT = 0; the difference,
# divided by COUNT, is what one operation costs. Start-up, warm-up and namespace setup cancel out.
#
#   sudo benchmarks/syscalls-per-op.sh [COUNT] [OPERATION ...]
#
# Operations: floor reisolate probe probe-floor status isolate-unisolate (default: all of them).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
count=${1:-2000}
shift || true
operations=("$@")
[[ ${#operations[@]} -gt 0 ]] || operations=(floor reisolate probe probe-floor status isolate-unisolate)

[[ $(id -u) -eq 0 ]] || { echo "needs root" >&2; exit 1; }
command -v strace >/dev/null || { echo "strace is not installed" >&2; exit 1; }

project="$repo/benchmarks/AuroraSoc.NetlinkIsolation.Benchmarks"
dotnet build -c Release "$project" >/dev/null
dll="$project/bin/Release/net10.0/AuroraSoc.NetlinkIsolation.Benchmarks.dll"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# "name calls" for every system call in an strace -c summary.
calls() { awk '$1 ~ /^[0-9.]+$/ && NF >= 5 && $NF != "total" { print $NF, $4 }' "$1" | sort; }

printf '%-18s %-7s %s\n' operation total "per operation (syscall × count)"
for op in "${operations[@]}"; do
    strace -f -c -o "$work/zero" dotnet "$dll" ops "$op" 0 >/dev/null
    strace -f -c -o "$work/many" dotnet "$dll" ops "$op" "$count" >/dev/null
    join -a 2 -e 0 -o 0,1.2,2.2 <(calls "$work/zero") <(calls "$work/many") \
        | awk -v n="$count" -v op="$op" '
            { d = ($3 - $2) / n; if (d >= 0.5) { per[$1] = d; total += d } }
            END {
                line = ""
                for (s in per) line = line sprintf("%s×%.1f ", s, per[s])
                printf "%-18s %-7.1f %s\n", op, total, line
            }'
done
