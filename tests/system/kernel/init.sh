#!/bin/sh
# PID 1 of the kernel suite's VM (busybox sh on Debian 12's 6.1 kernel; see run.sh). Runs every scenario, each
# printing one "RESULT name pass|fail detail" line on the serial console, then "SUITE-END", and powers off.
#
# Topology for the traffic scenarios, two network namespaces joined by a veth pair, both address families:
#   host  10.99.0.1, 10.99.0.4, fd00:99::1, fd00:99::4  (isolated; listens on 7001)
#   peer  the collector 10.99.0.2 and fd00:99::2, another machine 10.99.0.3 and fd00:99::3  (listens on 7000)
# peer reaches host .1 from .3 and host .4 from .2 (source routes), so one veth pair carries both the collector's
# and another machine's connections.

/bin/busybox --install -s /bin
export PATH=/usr/sbin:/usr/bin:/sbin:/bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t tmpfs tmpfs /run
mount -t tmpfs tmpfs /tmp

# Debian's busybox prefers its own applets to PATH, and it has an "ip" applet: iproute2 is named by its path.
ip() {
    /usr/sbin/ip "$@"
}

export SCRATCH=/tmp
. /system/lib/scenario.sh
. /system/lib/lifecycle.sh
VECTORS=/system/vectors

echo "SUITE-START kernel $(uname -r)"

cli() {
    timeout 60 /usr/sbin/ip netns exec host aurorasoc-isolate "$@"
}

nft_oracle() {
    timeout 60 /usr/sbin/ip netns exec host nft "$@"
}

kernel_is_6_1() {
    case "$(uname -r)" in
        6.1.*) echo "running $(uname -r)" ;;
        *) echo "running $(uname -r), not 6.1"; return 1 ;;
    esac
}

loaded_modules() {
    cut -d ' ' -f 1 /proc/modules | sort | tr '\n' ' '
}

# On a kernel that has loaded nothing, status in the VM's own namespace finds nothing (exit 3) and the kernel loads
# nfnetlink and nf_tables on demand through /sbin/modprobe.
fresh_kernel_status() {
    if grep -q '^nf_tables ' /proc/modules; then
        echo "nf_tables was loaded before the first status: $(loaded_modules)"
        return 1
    fi
    expect_exit 3 timeout 60 aurorasoc-isolate status || return 1
    if ! grep -q '^nf_tables ' /proc/modules; then
        echo "status did not make the kernel load nf_tables: $(loaded_modules)"
        return 1
    fi
    echo "status exit 3 ($(head -n 1 "$OUT")); the kernel loaded on demand: $(loaded_modules)"
}

# The lifecycle's isolate made the kernel load the modules of the expressions the ruleset uses: nothing else
# loads them (nft is only used to read and to delete a chain).
expression_modules_autoloaded() {
    for _module in nf_conntrack nft_ct nft_reject_inet; do
        if ! grep -q "^$_module " /proc/modules; then
            echo "$_module is not loaded after isolate: $(loaded_modules)"
            return 1
        fi
    done
    echo "loaded on demand by isolate: nf_conntrack nft_ct nft_reject_inet (all: $(loaded_modules))"
}

build_topology() {
    ip netns add host &&
        ip netns add peer &&
        ip link add veth-host netns host type veth peer name veth-peer netns peer &&
        ip -n host addr add 10.99.0.1/24 dev veth-host &&
        ip -n host addr add 10.99.0.4/24 dev veth-host &&
        ip -n peer addr add 10.99.0.2/24 dev veth-peer &&
        ip -n peer addr add 10.99.0.3/24 dev veth-peer &&
        ip -n host addr add fd00:99::1/64 dev veth-host nodad &&
        ip -n host addr add fd00:99::4/64 dev veth-host nodad &&
        ip -n peer addr add fd00:99::2/64 dev veth-peer nodad &&
        ip -n peer addr add fd00:99::3/64 dev veth-peer nodad &&
        ip -n host link set lo up && ip -n host link set veth-host up &&
        ip -n peer link set lo up && ip -n peer link set veth-peer up &&
        ip -n peer route add 10.99.0.1/32 dev veth-peer src 10.99.0.3 &&
        ip -n peer route add 10.99.0.4/32 dev veth-peer src 10.99.0.2 &&
        ip -n peer route add fd00:99::1/128 dev veth-peer src fd00:99::3 &&
        ip -n peer route add fd00:99::4/128 dev veth-peer src fd00:99::2 || return 1
    # Listeners accept and close at once; they live until the VM powers off.
    ip netns exec peer nc -ll -p 7000 -e /bin/true &
    ip netns exec host nc -ll -p 7001 -e /bin/true &
    sleep 1
}

# connection_outcome NAMESPACE ADDRESS PORT: prints "connected", "reset" (connection refused), "timeout" or the error.
connection_outcome() {
    if ip netns exec "$1" nc -w 3 "$2" "$3" </dev/null >/dev/null 2>"$SCRATCH/nc.err"; then
        echo connected
    elif grep -q 'Connection refused' "$SCRATCH/nc.err"; then
        echo reset
    elif grep -q 'timed out' "$SCRATCH/nc.err"; then
        echo timeout
    else
        tr '\n' ' ' <"$SCRATCH/nc.err"
    fi
}

# expect_connection NAMESPACE ADDRESS PORT OUTCOME WHAT
expect_connection() {
    _outcome=$(connection_outcome "$1" "$2" "$3")
    if [ "$_outcome" != "$4" ]; then
        echo "$5 ($1 -> $2:$3): $_outcome, expected $4"
        return 1
    fi
    echo "$5 ($1 -> $2:$3): $_outcome"
}

# forget_neighbours: empties both neighbour caches, so the next connection needs ARP and IPv6 neighbour discovery
# (which isolation must let through) again.
forget_neighbours() {
    ip -n host neigh flush all && ip -n peer neigh flush all
}

traffic_baseline() {
    for _family in 10.99.0. fd00:99::; do
        expect_connection host "${_family}2" 7000 connected "to the collector" || return 1
        expect_connection host "${_family}3" 7000 connected "to another machine" || return 1
        expect_connection peer "${_family}1" 7001 connected "from another machine" || return 1
        expect_connection peer "${_family}4" 7001 connected "from the collector" || return 1
    done
    echo "before isolation every connection opens (IPv4 and IPv6, both directions, collector and another machine)"
}

traffic_isolate() {
    expect_exit 0 cli isolate --collector 10.99.0.2 --collector fd00:99::2 || return 1
    echo "isolate --collector 10.99.0.2 --collector fd00:99::2: exit 0"
}

traffic_collector_reachable() {
    forget_neighbours || return 1
    for _family in 10.99.0. fd00:99::; do
        expect_connection host "${_family}2" 7000 connected "to the collector" || return 1
        expect_connection peer "${_family}4" 7001 connected "from the collector" || return 1
    done
    echo "the collector stays reachable both ways over IPv4 and IPv6, neighbour discovery included"
}

traffic_others_reset() {
    for _family in 10.99.0. fd00:99::; do
        expect_connection host "${_family}3" 7000 reset "to another machine" || return 1
    done
    echo "an outbound connection to another machine is reset at once (IPv4 and IPv6)"
}

traffic_inbound_dropped() {
    for _family in 10.99.0. fd00:99::; do
        expect_connection peer "${_family}1" 7001 timeout "from another machine" || return 1
    done
    echo "an inbound connection from another machine is dropped, no answer (IPv4 and IPv6)"
}

traffic_restored() {
    expect_exit 0 cli unisolate || return 1
    for _family in 10.99.0. fd00:99::; do
        expect_connection host "${_family}3" 7000 connected "to another machine" || return 1
        expect_connection peer "${_family}1" 7001 connected "from another machine" || return 1
    done
    echo "after unisolate every connection opens again"
}

# The guard on a kernel without NFT_TABLE_F_PERSIST (Linux 6.9): it must find that out by asking the kernel, own
# nothing (an owned table would vanish with the guard), and keep the isolation by watching and re-committing.
GUARD_STATE=/tmp/guard-state

guard_cli() {
    timeout 60 /usr/sbin/ip netns exec host aurorasoc-isolate "$@" --state-dir "$GUARD_STATE"
}

# table_present: 0 when the host namespace has the isolation table.
table_present() {
    nft_oracle list table inet aurorasoc >/dev/null 2>&1
}

guard_starts_without_persist() {
    /usr/sbin/ip netns exec host aurorasoc-isolate guard --state-dir "$GUARD_STATE" --verify-interval 60 \
        >"$SCRATCH/guard.out" 2>"$SCRATCH/guard.err" &
    GUARD_PID=$!
    _tries=0
    while [ ! -S "$GUARD_STATE/guard.sock" ]; do
        _tries=$((_tries + 1))
        if [ "$_tries" -gt 300 ] || ! kill -0 "$GUARD_PID" 2>/dev/null; then
            echo "the guard did not start serving $GUARD_STATE/guard.sock: $(head -c 600 "$SCRATCH/guard.err" | tr '\n' ' ')"
            return 1
        fi
        sleep 0.1
    done
    echo "guard (pid $GUARD_PID) serves $GUARD_STATE/guard.sock"
}

guard_handover_unowned() {
    expect_exit 0 guard_cli isolate --collector 10.99.0.2 --reason "INC-61 guard on 6.1" || return 1
    nft_oracle list table inet aurorasoc >"$SCRATCH/guarded.nft" 2>&1 || { cat "$SCRATCH/guarded.nft"; return 1; }
    if grep -q 'flags owner\|# progname' "$SCRATCH/guarded.nft"; then
        echo "the table is owned on a kernel without PERSIST: $(head -n 3 "$SCRATCH/guarded.nft" | tr '\n' ' ')"
        return 1
    fi
    if ! grep -q 'comment "INC-61 guard on 6.1"' "$SCRATCH/guarded.nft"; then
        echo "the handed-over reason is not the table's comment: $(head -n 3 "$SCRATCH/guarded.nft" | tr '\n' ' ')"
        return 1
    fi
    echo "isolate handed over to the guard: exit 0; the table carries the reason and no owner flag (monitor mode)"
}

guard_reverts_foreign_delete() {
    nft_oracle delete table inet aurorasoc || { echo "nft could not delete the (unowned) table"; return 1; }
    _tries=0
    until table_present; do
        _tries=$((_tries + 1))
        if [ "$_tries" -gt 100 ]; then
            echo "the table was not back 10 s after nft deleted it; guard: $(tail -c 600 "$SCRATCH/guard.err" | tr '\n' ' ')"
            return 1
        fi
        sleep 0.1
    done
    expect_exit 0 guard_cli status || return 1
    if ! grep -q 'Tamper with table inet aurorasoc' "$SCRATCH/guard.err" || ! grep -q 'by nft' "$SCRATCH/guard.err"; then
        echo "no tamper warning naming nft: $(tail -c 600 "$SCRATCH/guard.err" | tr '\n' ' ')"
        return 1
    fi
    echo "nft delete table: reverted by the guard (table back, status exit 0), warned: $(grep -m 1 'Tamper' "$SCRATCH/guard.err" | cut -c 1-160)"
}

guard_sigterm_keeps_table() {
    kill -TERM "$GUARD_PID"
    wait "$GUARD_PID"
    _status=$?
    if [ "$_status" -ne 0 ]; then
        echo "the guard exited $_status on SIGTERM, expected 0"
        return 1
    fi
    table_present || { echo "the table is gone after the guard stopped"; return 1; }
    expect_exit 0 guard_cli unisolate || return 1
    if table_present || [ -n "$(ls "$GUARD_STATE"/*.json 2>/dev/null)" ]; then
        echo "unisolate left the table or the intent behind"
        return 1
    fi
    echo "SIGTERM: guard exit 0, isolation in place; unisolate then released the host (table and intent gone)"
}

# Agent identities on 6.1: nft_socket's cgroupv2 key (5.13+) and meta skuid/skgid. The CLI runs with --netns, in the
# VM's mount namespace (ip netns exec would remount /sys and hide the cgroup2 mount), and nft reads the table through
# nsenter for the same reason: both then print the cgroup by its path under /sys/fs/cgroup.
agent_identities_show_equals_nft() {
    mkdir -p /sys/fs/cgroup || return 1
    if ! grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts; then
        mount -t cgroup2 cgroup2 /sys/fs/cgroup || { echo "cannot mount cgroup2"; return 1; }
    fi
    mkdir -p /sys/fs/cgroup/edr.slice/agent.service || return 1
    expect_exit 0 timeout 60 aurorasoc-isolate isolate --netns /run/netns/host --collector 10.99.0.2:7000 \
        --agent-cgroup edr.slice/agent.service --agent-user 0 --agent-group 0 --ephemeral || return 1
    expect_exit 0 timeout 60 aurorasoc-isolate show --netns /run/netns/host || return 1
    cp "$OUT" "$SCRATCH/agent-show.txt"
    expect_exit 0 timeout 60 nsenter --net=/run/netns/host nft list table inet aurorasoc || return 1
    cp "$OUT" "$SCRATCH/agent-nft.txt"
    same_text "show vs nft list table (agent identities)" "$SCRATCH/agent-nft.txt" "$SCRATCH/agent-show.txt" || return 1
    for _rule in 'socket cgroupv2 level 2 "edr.slice/agent.service" accept' 'meta skuid 0 accept' 'meta skgid 0 accept'; do
        if ! grep -qF "$_rule" "$SCRATCH/agent-nft.txt"; then
            echo "nft lists no rule with '$_rule'"
            return 1
        fi
    done
    expect_exit 0 timeout 60 aurorasoc-isolate unisolate --netns /run/netns/host --state-dir /tmp/agent-state || return 1
    rmdir /sys/fs/cgroup/edr.slice/agent.service /sys/fs/cgroup/edr.slice
    echo "cgroupv2 level 2, skuid, skgid: show = nft list table ($(wc -l <"$SCRATCH/agent-nft.txt") lines)"
}

run_scenario kernel-is-6.1 kernel_is_6_1
run_scenario fresh-kernel-status fresh_kernel_status

if build_topology >&2; then
    run_lifecycle_scenarios
    run_scenario expression-modules-autoloaded expression_modules_autoloaded

    run_scenario traffic-baseline traffic_baseline
    run_scenario traffic-isolate traffic_isolate
    run_scenario traffic-collector-reachable traffic_collector_reachable
    run_scenario traffic-others-reset traffic_others_reset
    run_scenario traffic-inbound-dropped traffic_inbound_dropped
    run_scenario traffic-restored traffic_restored
    run_scenario agent-identities-show-equals-nft agent_identities_show_equals_nft

    run_scenario guard-starts-without-persist guard_starts_without_persist
    run_scenario guard-handover-unowned guard_handover_unowned
    run_scenario guard-reverts-foreign-delete guard_reverts_foreign_delete
    run_scenario guard-sigterm-keeps-table guard_sigterm_keeps_table
else
    echo "the namespaces and veth pair could not be set up; every later scenario is missing" >&2
fi

echo SUITE-END
sync
poweroff -f
