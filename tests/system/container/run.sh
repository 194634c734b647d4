#!/usr/bin/env bash
# Minimal host in a real privileged container: the NativeAOT aurorasoc-isolate in an image that holds nothing but the
# binary, exactly the libraries ldd lists for it, and a static busybox — no nft, iptables, libnftnl, libnftables or
# libmnl — run by podman in its own network namespace. The host's nft, entered into the container's namespace with
# nsenter, is the oracle.
#
#   run.sh --check        exit 0 when the suite can run here; otherwise exit 77 and print why on stdout
#   run.sh AOT_BINARY     run every scenario: one "RESULT name pass|fail detail" line each on stdout,
#                         diagnostics on stderr; exit 0 when the suite ran (whatever the verdicts), 77 when it cannot
#                         run here, anything else when the harness itself broke
#
# podman never touches the machine's own container state: it runs in a private mount namespace in which /run,
# /var/lib and /var/tmp are empty directories of this run, with storage, run root and temporary files in a temporary
# directory and its cgroups under one parent of this run. All of it is removed on exit, failure, Ctrl-C or SIGTERM.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
readonly system_tests="$here/.."
readonly vectors="$here/../../TestVectors"

# podman 4.3 as packaged by Debian 12: crun refuses this sandbox's hybrid cgroups, and the default ulimits fail with
# EPERM here, so the runtime and limits are pinned.
readonly container_limits=(--ulimit nofile=1024:1024 --ulimit nproc=4096:4096)

# shellcheck source=../lib/suite.sh
. "$system_tests/lib/suite.sh" || exit 2

missing_requirement() {
    if [ "$(id -u)" -ne 0 ]; then
        echo "needs root: podman --privileged and nsenter into the container's network namespace"
        return
    fi
    missing_tool podman:podman runc:runc nsenter:util-linux unshare:util-linux nft:nftables ldd:libc-bin
    missing_static_busybox
}

suite_arguments "$(missing_requirement | head -n 1)" "$@"

# Re-run in a private mount namespace (same process id, so a signal sent to this script reaches the cleanup below).
if [ "${AURORASOC_CONTAINER_SUITE_PRIVATE:-}" != 1 ]; then
    export AURORASOC_CONTAINER_SUITE_PRIVATE=1
    exec unshare --mount --propagation private -- bash "${BASH_SOURCE[0]}" "$@"
fi

cli_binary=$(readlink -f "$1")
readonly cli_binary
# The guard's executable: `aurorasoc-isolate guard` execs it, so it is installed beside the CLI (one publish makes both).
guard_binary="$(dirname "$cli_binary")/aurorasoc-isolate-guard"
readonly guard_binary
[ -x "$guard_binary" ] || { echo "$guard_binary is missing: publish src/AuroraSoc.NetlinkIsolation.Cli, which puts it next to the CLI" >&2; exit 2; }
work=$(mktemp -d /tmp/aurorasoc-container-suite.XXXXXX)
readonly work
readonly cgroup_parent="aurorasoc-container-suite-$$"
announce_created "$work" /sys/fs/cgroup/"$cgroup_parent"
for controller in /sys/fs/cgroup/*/; do
    announce_created "$controller$cgroup_parent"
done
readonly image=localhost/aurorasoc-minimal-host
export SCRATCH="$work/scratch"
mkdir -p "$SCRATCH"

# shellcheck source=../lib/scenario.sh
. "$system_tests/lib/scenario.sh" || exit 2
# shellcheck source=../lib/lifecycle.sh
. "$system_tests/lib/lifecycle.sh" || exit 2
# shellcheck source=../lib/rootfs.sh
. "$system_tests/lib/rootfs.sh" || exit 2
VECTORS=$vectors

readonly podman_cmd=(podman --root "$work/storage" --runroot "$work/runroot" --tmpdir "$work/libpod"
    --volumepath "$work/volumes" --network-config-dir "$work/networks" --storage-driver vfs --events-backend none
    --cgroup-manager cgroupfs --runtime runc)

cleanup() {
    trap - EXIT INT TERM
    "${podman_cmd[@]}" rm --all --force --time 0 >/dev/null 2>&1
    "${podman_cmd[@]}" rmi --all --force >/dev/null 2>&1
    # conmon, and the `podman container cleanup` it starts when a container exits, outlive `podman rm` for a moment
    # and write into the work directory; their command lines name it, so they are found by it and waited for.
    local pid tries=0
    while pgrep -f -- "$work" >/dev/null && [ "$tries" -lt 50 ]; do
        sleep 0.2
        tries=$((tries + 1))
    done
    for pid in $(pgrep -f -- "$work"); do
        kill -KILL "$pid" 2>/dev/null
    done
    # Mounts podman left under the work directory (a container's /dev/shm) die with this mount namespace anyway;
    # unmount them so that the directory can be removed now.
    awk -v work="$work" '$5 ~ "^" work { print $5 }' /proc/self/mountinfo | sort -r | xargs -r -n 1 umount -l 2>/dev/null
    rm -rf "$work"
    local dir
    for dir in /sys/fs/cgroup/"$cgroup_parent" /sys/fs/cgroup/*/"$cgroup_parent"; do
        [ -d "$dir" ] && find "$dir" -depth -type d -exec rmdir {} + 2>/dev/null
    done
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# This run's own /run, /var/lib and /var/tmp: podman and runc keep state, a blob cache and temporary files there.
for dir in /run /var/lib /var/tmp; do
    mkdir -p "$work/host$dir"
    mount -n --bind "$work/host$dir" "$dir" || exit 1
done

build_image() {
    local rootfs="$work/rootfs"
    install_with_libraries "$rootfs" "$cli_binary" /usr/bin/aurorasoc-isolate || return 1
    # `aurorasoc-isolate guard` execs the guard's executable, published next to the CLI.
    install_with_libraries "$rootfs" "$guard_binary" /usr/bin/aurorasoc-isolate-guard || return 1
    install -D -m 0755 /bin/busybox "$rootfs/bin/busybox" || return 1
    ln -s busybox "$rootfs/bin/sh"
    mkdir -p "$rootfs/dev" "$rootfs/proc" "$rootfs/sys" "$rootfs/tmp" "$rootfs/etc" "$rootfs/var/lib/aurorasoc-isolate"
    tar -C "$rootfs" -c . | "${podman_cmd[@]}" import - "$image" >/dev/null
}

# start_container NAME [PODMAN RUN OPTION...] [-- COMMAND...]: a container of the image in its own network namespace
# (--network none), running COMMAND (default: sleep, so that scenarios act in it with podman exec).
start_container() {
    local name=$1 options=() command=(/bin/busybox sleep 100000)
    shift
    while [ $# -gt 0 ] && [ "$1" != -- ]; do
        options+=("$1")
        shift
    done
    if [ "${1:-}" = -- ]; then
        shift
        command=("$@")
    fi
    "${podman_cmd[@]}" run --detach --pull never --name "$name" --network none "${container_limits[@]}" \
        --cgroup-parent "/$cgroup_parent" "${options[@]}" "$image" "${command[@]}" >/dev/null
}

container_pid() {
    "${podman_cmd[@]}" inspect --format '{{.State.Pid}}' "$1"
}

# use_container NAME: point cli and nft_oracle at container NAME.
use_container() {
    current_container=$1
    current_pid=$(container_pid "$1") || return 1
}

cli() {
    timeout 60 "${podman_cmd[@]}" exec "$current_container" /usr/bin/aurorasoc-isolate "$@"
}

nft_oracle() {
    timeout 60 nsenter --target "$current_pid" --net nft "$@"
}

image_has_no_nft_userspace() {
    expect_exit 0 "${podman_cmd[@]}" run --rm --pull never --network none "${container_limits[@]}" \
        --cgroup-parent "/$cgroup_parent" "$image" /bin/busybox find / -xdev -type f || return 1
    local files forbidden
    files=$(wc -l <"$OUT")
    forbidden=$(grep -Ei '(^|/)(nft|iptables[^/]*|ip6tables[^/]*|xtables[^/]*|libnftnl[^/]*|libnftables[^/]*|libmnl[^/]*|libxtables[^/]*)$' "$OUT")
    if [ -n "$forbidden" ]; then
        echo "nftables userspace inside the image: $(tr '\n' ' ' <<<"$forbidden")"
        return 1
    fi
    grep -q '^/usr/bin/aurorasoc-isolate$' "$OUT" || { echo "aurorasoc-isolate is not in the image"; return 1; }
    grep -q '^/usr/bin/aurorasoc-isolate-guard$' "$OUT" || { echo "aurorasoc-isolate-guard is not in the image"; return 1; }
    sed 's/^/  /' "$OUT"
    echo "$files files, aurorasoc-isolate and aurorasoc-isolate-guard + $(grep -c '\.so' "$OUT") libraries + busybox; no nft, iptables, libnftnl, libnftables, libmnl"
}

# Without CAP_NET_ADMIN every nfnetlink request is refused: isolate and status exit 1 naming the permission, and
# the namespace has no table afterwards.
refused_without_net_admin() {
    expect_exit 1 isolate_contract_example || return 1
    stderr_mentions permission || return 1
    local refusal
    refusal=$(head -n 1 "$ERR")
    expect_exit 1 cli status || return 1
    stderr_mentions permission || return 1
    expect_exit 0 nft_oracle list tables || return 1
    output_is_empty "tables installed" || return 1
    echo "isolate and status exit 1 ($refusal); no table installed"
}

capabilities_of() {
    grep CapEff "/proc/$current_pid/status" | awk '{ print "CapEff " $2 }'
}

host_ruleset() {
    nft list ruleset 2>&1
}

ruleset_before=$(host_ruleset)

if ! build_image >&2; then
    echo "could not build the image" >&2
    exit 1
fi
run_scenario image-has-no-nft-userspace image_has_no_nft_userspace

start_container privileged --privileged || exit 1
use_container privileged || exit 1
run_lifecycle_scenarios

# The guard inside the minimal container, on this kernel (which keeps owned tables: PERSIST): it owns the table, so
# the host's nft cannot change or delete it; stopped, it leaves the table; started again, it adopts it.
readonly guard_state=/var/lib/aurorasoc-isolate

start_guard() {
    "${podman_cmd[@]}" exec --detach "$current_container" /bin/sh -c \
        "exec /usr/bin/aurorasoc-isolate guard --state-dir $guard_state 2>>/tmp/guard.err" || return 1
    local tries=0
    until "${podman_cmd[@]}" exec "$current_container" /bin/busybox test -S "$guard_state/guard.sock"; do
        tries=$((tries + 1))
        if [ "$tries" -gt 100 ]; then
            echo "the guard did not start serving $guard_state/guard.sock: $(guard_log)"
            return 1
        fi
        sleep 0.2
    done
}

guard_log() {
    "${podman_cmd[@]}" exec "$current_container" /bin/busybox tail -c 600 /tmp/guard.err 2>&1 | tr '\n' ' '
}

guard_owns_table() {
    start_guard || return 1
    expect_exit 0 cli isolate --collector 192.0.2.10:6514 --state-dir "$guard_state" || return 1
    expect_exit 0 nft_oracle list table inet aurorasoc || return 1
    if ! grep -q '# progname aurorasoc-isola' "$OUT" || ! grep -q 'flags owner' "$OUT"; then
        echo "the handed-over table is not owned by the guard: $(head -n 3 "$OUT" | tr '\n' ' ')"
        return 1
    fi
    expect_exit 0 cli show || return 1
    cp "$OUT" "$SCRATCH/show.txt"
    expect_exit 0 nft_oracle list table inet aurorasoc || return 1
    same_text "show vs the host's nft for the owned table" "$OUT" "$SCRATCH/show.txt" || return 1
    echo "isolate handed over to the guard in the container: the table is owned (# progname aurorasoc-isola, flags owner); show prints it as nft does"
}

guard_refuses_foreign_changes() {
    expect_exit 1 nft_oracle delete table inet aurorasoc || return 1
    stderr_mentions "Operation not permitted" || return 1
    expect_exit 0 nft_oracle flush ruleset || return 1
    expect_exit 0 cli status --state-dir "$guard_state" || return 1
    echo "the host's nft: delete table refused (Operation not permitted); flush ruleset leaves the owned table; status exit 0"
}

guard_stop_then_adopt() {
    local pid
    pid=$("${podman_cmd[@]}" exec "$current_container" /bin/busybox pidof aurorasoc-isolate) || { echo "no guard process"; return 1; }
    "${podman_cmd[@]}" exec "$current_container" /bin/busybox kill -TERM "$pid" || return 1
    local tries=0
    while "${podman_cmd[@]}" exec "$current_container" /bin/busybox pidof aurorasoc-isolate >/dev/null; do
        tries=$((tries + 1))
        [ "$tries" -gt 50 ] && { echo "the guard did not exit on SIGTERM"; return 1; }
        sleep 0.2
    done
    expect_exit 0 nft_oracle list table inet aurorasoc || return 1
    start_guard || return 1
    expect_exit 1 nft_oracle delete table inet aurorasoc || return 1
    stderr_mentions "Operation not permitted" || return 1
    expect_exit 0 cli unisolate --state-dir "$guard_state" || return 1
    expect_exit 0 nft_oracle list tables || return 1
    output_is_empty "tables after unisolate" || return 1
    echo "SIGTERM: the table stayed; a new guard adopted it (delete refused again); unisolate handed over released the host"
}

start_container guarded --privileged || exit 1
use_container guarded || exit 1
run_scenario guard-owns-table guard_owns_table
run_scenario guard-refuses-foreign-changes guard_refuses_foreign_changes
run_scenario guard-stop-then-adopt guard_stop_then_adopt

start_container cap-drop-all --cap-drop ALL || exit 1
use_container cap-drop-all || exit 1
capabilities_of >&2
run_scenario cap-drop-all-refused refused_without_net_admin

start_container default-capabilities || exit 1
use_container default-capabilities || exit 1
capabilities_of >&2
run_scenario default-capabilities-refused refused_without_net_admin

host_namespace_untouched() {
    local after
    after=$(host_ruleset)
    if [ "$after" != "$ruleset_before" ]; then
        echo "the machine's own ruleset changed during the suite: before '$ruleset_before', after '$after'"
        return 1
    fi
    local size=empty
    [ -n "$after" ] && size="$(wc -l <<<"$after") lines"
    echo "the machine's own namespace: nft list ruleset unchanged ($size)"
}
run_scenario host-namespace-untouched host_namespace_untouched
echo "the container suite ran ${SECONDS} s" >&2
exit 0
