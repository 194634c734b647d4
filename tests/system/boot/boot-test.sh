#!/bin/bash
# Inside the boot suite's VM (tests/system/boot/run.sh), as root under systemd:
#   boot-test probe   (aurorasoc-boot-probe.service, before network-pre.target) records what holds before the network
#   boot-test run     (aurorasoc-boot-test.service, once the system is up) runs the phase of boottest.phase=N,
#                     appends "RESULT name pass|fail detail" lines to /var/lib/boot-test/results, powers off
set -u
readonly dir=/var/lib/boot-test
readonly results=$dir/results
readonly log=$dir/log
readonly unit=aurorasoc-isolate-guard.service
readonly state=/var/lib/aurorasoc-isolate
readonly reason="INC-BOOT-1 soc@example.com"
# The collector of every isolation: 192.0.2.10 answers TCP 6514 inside the "collector" namespace (hand-over test).
readonly collector=192.0.2.10:6514
phase=$(sed -n 's/.*boottest\.phase=\([0-9]*\).*/\1/p' /proc/cmdline)
readonly phase
# Options the third wave adds to the isolation (run.sh: AURORASOC_BOOT_ISOLATE_EXTRA), word-split on purpose.
read -r -a isolate_extra <"$dir/isolate-extra" || isolate_extra=()
# The agent cgroup of --agent-cgroup in those options, if any: made at the first boot, absent after the reboot.
agent_cgroup=""
for ((i = 0; i + 1 < ${#isolate_extra[@]}; i++)); do
    [ "${isolate_extra[i]}" = --agent-cgroup ] && agent_cgroup=${isolate_extra[i + 1]}
done
readonly agent_cgroup
record_blocked=no
for option in "${isolate_extra[@]}"; do [ "$option" = --record-blocked ] && record_blocked=yes; done
readonly record_blocked

result() {
    echo "RESULT $1 $2 ${3:-}" | tr -d '\n' >>"$results"
    echo >>"$results"
    echo "RESULT $1 $2 ${3:-}"
}

check() {
    local name=$1 detail=$2
    shift 2
    if "$@" >>"$log" 2>&1; then result "$name" pass "$detail"; else result "$name" fail "$detail"; fi
}

say() {
    echo "[$phase] $*" >>"$log"
}

json_field() {
    # The first "key":"value" or "key":value of a one-object JSON text (enough for status --json).
    sed -n "s/.*\"$1\":\"\{0,1\}\([^\",}]*\).*/\1/p" | head -n 1
}

probe() {
    mkdir -p "$dir"
    {
        echo "network-pre.target $(systemctl is-active network-pre.target)"
        echo "guard $(systemctl is-active $unit)"
    } >"$dir/probe-$phase"
    if [ -x /usr/sbin/aurorasoc-isolate ]; then
        /usr/sbin/aurorasoc-isolate status --json >"$dir/probe-status-$phase.json" 2>>"$log"
        echo "status-exit $?" >>"$dir/probe-$phase"
    fi
}

phase1() {
    local package score
    package=$(ls /root/debs/aurorasoc-isolate_*-1_amd64.deb)
    check install "dpkg -i $(basename "$package")" dpkg -i "$package"
    check install-starts-guard "enabled and active after dpkg -i" \
        bash -c "[ \"\$(systemctl is-enabled $unit)\" = enabled ] && [ \"\$(systemctl is-active $unit)\" = active ]"
    check install-isolates-nothing "no table after installing" bash -c "! nft list ruleset | grep -q aurorasoc"
    score=$(systemd-analyze security --offline=true /usr/lib/systemd/system/$unit 2>/dev/null |
        sed -n 's/.*Overall exposure level for .*: \([0-9.]*\) .*/\1/p')
    check unit-exposure "systemd-analyze security --offline=true: ${score:-none}" \
        awk -v s="${score:-99}" 'BEGIN { exit !(s <= 3.5) }'
    if [ -n "$agent_cgroup" ]; then
        check agent-cgroup-made "/sys/fs/cgroup/$agent_cgroup for --agent-cgroup" mkdir -p "/sys/fs/cgroup/$agent_cgroup"
    fi
    check isolate-host-with-reason "isolate handed over to the guard: ${isolate_extra[*]}" \
        aurorasoc-isolate isolate --collector "$collector" --reason "$reason" "${isolate_extra[@]}" --json
    check intent-recorded "an intent in $state" bash -c "ls $state/*.json"
    # Enabled for the next boot: the stock shape of /etc/nftables.conf, which starts by flushing everything.
    printf '#!/usr/sbin/nft -f\nflush ruleset\ntable inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter;\n\t}\n}\n' >/etc/nftables.conf
    check nftables-enabled "nftables.service enabled for the next boot" systemctl enable nftables.service
}

phase2() {
    local probe_file=$dir/probe-2 state_json nft_done guard_start old_pid new_pid lab_ok pid status_line output
    say "probe: $(tr '\n' ' ' <"$probe_file" 2>/dev/null) $(cat "$dir/probe-status-2.json" 2>/dev/null)"
    state_json=$(cat "$dir/probe-status-2.json" 2>/dev/null)
    # With an agent cgroup, which no longer exists after the reboot, the isolation is in force but degraded (exit 4).
    local expected_state=isolated expected_exit=0
    [ -n "$agent_cgroup" ] && expected_state=degraded expected_exit=4
    check reboot-isolated-before-network-pre "$(tr '\n' ' ' <"$probe_file" 2>/dev/null)" bash -c "
        grep -qx 'network-pre.target inactive' '$probe_file' && grep -qx 'status-exit $expected_exit' '$probe_file' &&
        [ \"\$(json_field state <<<'$state_json')\" = $expected_state ] && grep -qF '\"reason\":\"$reason\"' <<<'$state_json'"
    if [ -n "$agent_cgroup" ]; then
        # The agent's cgroup appears (its service starts): the guard re-commits with its new id, and status is isolated.
        local made waited=0
        [ ! -e "/sys/fs/cgroup/$agent_cgroup" ] && mkdir "/sys/fs/cgroup/$agent_cgroup"
        made=$(date +%s%N)
        for _ in $(seq 50); do aurorasoc-isolate status >/dev/null 2>&1 && break; sleep 0.1; done
        waited=$((($(date +%s%N) - made) / 1000000))
        check agent-cgroup-appears-isolated "status isolated ${waited} ms after mkdir /sys/fs/cgroup/$agent_cgroup" bash -c "
            aurorasoc-isolate status --json | grep -q '\"state\":\"isolated\"'"
    fi

    if [ "$record_blocked" = yes ]; then
        # Restored at boot with its recording: blocked reads the counters and ledgers (exit 1 would mean none).
        check record-blocked-restored "blocked --json after the reboot" bash -c "
            aurorasoc-isolate blocked --json | grep -q '\"ok\":true'"
    fi

    nft_done=$(systemctl show -P ExecMainExitTimestampMonotonic nftables.service)
    guard_start=$(systemctl show -P ExecMainStartTimestampMonotonic $unit)
    check nftables-flush-then-restore "nftables.service done at ${nft_done} us, guard started at ${guard_start} us" bash -c "
        [ '${nft_done:-0}' -gt 0 ] && [ '${nft_done:-0}' -le '${guard_start:-0}' ] &&
        nft list table inet filter && aurorasoc-isolate status"

    status_line=$(systemctl show -P StatusText $unit)
    # Written at the guard's start: with an agent cgroup, which did not exist then, the isolation is guarded but degraded.
    local expected_status="guarding 1 isolation; degraded: none"
    [ -n "$agent_cgroup" ] && expected_status="guarding 1 isolation; degraded: host"
    check guard-status-text "STATUS=$status_line" bash -c "[[ '$status_line' == '$expected_status'* ]]"
    check journal-priorities "the start event at priority info, without the guard's own timestamp" bash -c "
        journalctl -b -u $unit -p 6..6 -o cat | grep -E '^aurorasoc-isolate\\[100\\] '"

    old_pid=$(systemctl show -P MainPID $unit)
    systemctl reload $unit >>"$log" 2>&1
    for _ in $(seq 30); do journalctl -b -u $unit -o cat | grep -q '\[150\] reloaded' && break; sleep 1; done
    # The reload re-applies the state directory: the agent's cgroup exists now, so nothing is degraded any more.
    check reload-rereads-state-dir "systemctl reload: pid $old_pid -> $(systemctl show -P MainPID $unit); STATUS=$(systemctl show -P StatusText $unit)" bash -c "
        [ \"\$(systemctl show -P MainPID $unit)\" = '$old_pid' ] && [ \"\$(systemctl is-active $unit)\" = active ] &&
        journalctl -b -u $unit -o cat | grep '\\[150\\] reloaded' &&
        [[ \"\$(systemctl show -P StatusText $unit)\" == 'guarding 1 isolation; degraded: none'* ]]"

    # --verify-collector handed over: the guard connects from inside "lab" to the collector over a veth pair.
    ip netns add lab && ip netns add collector
    ip link add lab0 netns lab type veth peer name coll0 netns collector
    ip -n lab addr add 192.0.2.2/24 dev lab0 && ip -n lab link set lab0 up && ip -n lab link set lo up
    ip -n collector addr add 192.0.2.10/24 dev coll0 && ip -n collector link set coll0 up
    ip netns exec collector nc -lk 6514 >/dev/null 2>&1 &
    local listener=$!
    sleep 1
    output=$(aurorasoc-isolate isolate --netns /run/netns/lab --collector "$collector" --verify-collector --json 2>&1)
    lab_ok=$?
    say "verify: $output"
    check handover-verify-collector "exit $lab_ok: $(grep -o '"verified":\[[^]]*\]' <<<"$output")" bash -c "
        [ $lab_ok -eq 0 ] && grep -q '\"ok\":true' <<<'$output' && aurorasoc-isolate status --netns /run/netns/lab"
    aurorasoc-isolate unisolate --netns /run/netns/lab >>"$log" 2>&1
    kill "$listener" 2>/dev/null
    ip netns del lab; ip netns del collector

    # --netns-pid of a rootless container's shape: a process of nobody's in its own user and network namespace.
    setpriv --reuid=65534 --regid=65534 --clear-groups -- unshare --user --map-root-user --net sleep 600 &
    pid=$!
    for _ in $(seq 50); do [ "$(readlink /proc/$pid/ns/net)" != "$(readlink /proc/1/ns/net)" ] && break; sleep 0.1; done
    output=$(aurorasoc-isolate isolate --netns-pid "$pid" --collector "$collector" --json 2>&1)
    say "netns-pid: $output"
    check handover-netns-pid "isolate and status --netns-pid $pid (uid 65534, own user namespace)" bash -c "
        grep -q '\"ok\":true' <<<'$output' && aurorasoc-isolate status --netns-pid $pid &&
        grep -l '/proc/$pid/ns/net' $state/*.json"
    aurorasoc-isolate unisolate --netns-pid "$pid" >>"$log" 2>&1
    kill "$pid" 2>/dev/null

    old_pid=$(systemctl show -P MainPID $unit)
    check upgrade "dpkg -i of the newer build" dpkg -i /root/debs/aurorasoc-isolate_*-2_amd64.deb
    new_pid=$(systemctl show -P MainPID $unit)
    check upgrade-keeps-isolation "$(dpkg-query -W -f='${Version}' aurorasoc-isolate); guard pid $old_pid -> $new_pid" bash -c "
        [[ \"\$(dpkg-query -W -f='\${Version}' aurorasoc-isolate)\" == *-2 ]] && [ '$new_pid' != '$old_pid' ] &&
        [ \"\$(systemctl is-active $unit)\" = active ] &&
        aurorasoc-isolate status --json | grep -qF '\"reason\":\"$reason\"'"

    # The message quotes commands in single quotes: kept in a file, not in the checked command line.
    dpkg --purge aurorasoc-isolate >"$dir/purge.out" 2>&1
    say "purge: $(cat "$dir/purge.out")"
    check purge-keeps-intents "$(grep -o 'keeping [^:]*' "$dir/purge.out")" bash -c "
        grep -q 'keeping $state: it records 1 isolation' '$dir/purge.out' && ls $state/*.json &&
        nft list table inet aurorasoc && [ ! -e /usr/sbin/aurorasoc-isolate ]"
}

case "${1:-}" in
    probe)
        probe
        ;;
    run)
        mkdir -p "$dir"
        echo "SUITE-PHASE $phase $(uname -r)" >>"$results"
        export PATH=/usr/sbin:/usr/bin:/sbin:/bin
        export -f json_field
        "phase$phase"
        journalctl -b -u $unit --no-pager >>"$log" 2>&1
        [ "$phase" = 2 ] && echo SUITE-END >>"$results"
        sync
        systemctl --no-block poweroff
        ;;
esac
