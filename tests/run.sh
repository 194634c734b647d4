#!/usr/bin/env bash
# The whole test suite, on a fresh Debian 12 machine that has only the .NET SDK:
#
#   sudo tests/run.sh
#
# Installs the Debian packages the tests need when any is missing (the list below is the one place to extend),
# restores the local dotnet tools (.config/dotnet-tools.json), runs every test project of the solution with
# AURORASOC_REQUIRE_PRIVILEGED=1 (a test that needs root, a namespace, nft or a compiler fails instead of skipping),
# then a short coverage-guided fuzz run of every target (tests/AuroraSoc.NetlinkIsolation.Fuzzing/fuzz.sh; each
# target counts as one test). Ends with the line "tests: N passed, N failed, N skipped" and exits non-zero on any
# failure or skip. Every test that touches the kernel works in throwaway network namespaces it creates itself.
# The package tests (tests/AuroraSoc.NetlinkIsolation.PackageTests, part of the solution) pack both NuGet packages
# into a temporary feed and restore fresh consumer projects from it: like any restore, they need the public NuGet
# feed for the packages' dependencies.
#
# Environment: FUZZ_SECONDS — the fuzzing budget shared by all targets (default 60).
# `tests/run.sh --install-only` installs what is missing and stops (CI publishes the NativeAOT binary in between).
set -euo pipefail
cd "$(dirname "$0")/.."

# What the tests run besides dotnet, and why. Append new needs here.
packages=(
    nftables                     # nft: the oracle every installed ruleset and listing is compared with
    iproute2                     # ip netns / ip link: throwaway namespaces and veth pairs
    strace                       # proves the isolation path never executes another program
    libcap2-bin util-linux       # setpriv, unshare, nsenter: privilege-drop and namespace tests
    gcc libc6-dev linux-libc-dev # struct layouts and constants checked against the C headers
    clang zlib1g-dev             # the NativeAOT publish of aurorasoc-isolate links with them
    afl++                        # coverage-guided fuzzing (afl-fuzz)
    podman runc busybox-static   # the minimal-host container suite (tests/system/container)
    qemu-system-x86 cpio kmod    # the Debian 12 6.1-kernel suite under qemu (tests/system/kernel)
    systemd                      # systemd-analyze verify of the guard's unit file
    groff-base                   # groff -ww renders the generated man page (ManualAndCompletionTests)
    mmdebstrap e2fsprogs dpkg-dev  # the Debian package boot suite (tests/system/boot): rootfs, disk image, build-deb.sh
)

export DEBIAN_FRONTEND=noninteractive
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -ne 0 ]; then
    echo "== installing ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        echo "tests: ${missing[*]} missing; run as root (sudo tests/run.sh) to install them" >&2
        exit 1
    fi
    # Another apt on a shared machine holds the lock for a while: wait for it rather than fail.
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
nft --version
dotnet tool restore
if [ "${1:-}" = "--install-only" ]; then
    exit 0
fi

export AURORASOC_REQUIRE_PRIVILEGED=1

echo "== dotnet test AuroraSoc.NetlinkIsolation.sln"
log=$(mktemp)
fuzzlog=$(mktemp)
trap 'rm -f "$log" "$fuzzlog"' EXIT
started=$SECONDS
set +e
dotnet test AuroraSoc.NetlinkIsolation.sln -c Release 2>&1 | tee "$log"
test_status=${PIPESTATUS[0]}
set -e
echo "== dotnet test took $((SECONDS - started)) s"

echo "== fuzzing every target for ${FUZZ_SECONDS:-60} s in total"
started=$SECONDS
set +e
tests/AuroraSoc.NetlinkIsolation.Fuzzing/fuzz.sh all "${FUZZ_SECONDS:-60}" 2>&1 | tee "$fuzzlog"
fuzz_status=${PIPESTATUS[0]}
set -e
echo "== fuzzing took $((SECONDS - started)) s (build, instrumentation and afl-fuzz start-up included)"

# dotnet test prints one summary per test assembly; fuzz.sh one verdict per target. Add them up.
passed=$(grep -Eo 'Passed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
failed=$(grep -Eo 'Failed: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
skipped=$(grep -Eo 'Skipped: +[0-9]+' "$log" | awk '{s+=$2} END {print s+0}')
fuzz_passed=$(grep -c '^fuzz passed ' "$fuzzlog" || true)
fuzz_failed=$(grep -c '^fuzz FAILED ' "$fuzzlog" || true)
if [ "$fuzz_status" -ne 0 ] && [ "$fuzz_failed" -eq 0 ]; then
    fuzz_failed=1 # fuzz.sh stopped before judging any target (build or instrumentation failed)
fi
passed=$((passed + fuzz_passed))
failed=$((failed + fuzz_failed))

echo
if [ "$failed" -ne 0 ] || [ "$test_status" -ne 0 ] || [ "$fuzz_status" -ne 0 ]; then
    # Named again here, after thousands of lines of test output, with the first lines of each failure: a CI log is
    # often read from its end (.ci/run prints this block once more after the package suite's long log).
    echo "== failed tests"
    grep -E -A 12 '^[[:space:]]+Failed [A-Za-z_]' "$log" | cut -c1-400 || true
    grep -E '^fuzz FAILED ' "$fuzzlog" || true
    echo "== end of failed tests"
fi
echo "tests: ${passed} passed, ${failed} failed, ${skipped} skipped"
if [ "$test_status" -ne 0 ] || [ "$failed" -ne 0 ]; then
    echo "tests: failed (dotnet test exit $test_status, fuzz exit $fuzz_status)"
    exit 1
fi
if [ "$skipped" -ne 0 ]; then
    echo "tests: $skipped tests were skipped although AURORASOC_REQUIRE_PRIVILEGED=1"
    exit 1
fi
if [ "$passed" -eq 0 ]; then
    echo "tests: no test ran"
    exit 1
fi
