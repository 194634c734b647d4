#!/usr/bin/env bash
# A second kernel: Debian 12's 6.1 LTS — the image the linux-image-amd64 metapackage depends on — booted under qemu
# (TCG: no KVM is needed) with an initramfs that holds busybox (static), the NativeAOT aurorasoc-isolate, the
# nf_tables, conntrack, reject, veth and sock_diag modules with their dependency closure (loaded on demand by the
# kernel through /sbin/modprobe, as on a real host), and nft + iproute2 as oracles. init.sh runs the scenarios as
# PID 1 and prints "RESULT name pass|fail detail" lines on the serial console; this script copies them to stdout.
#
#   run.sh --check        exit 0 when the suite can run here; otherwise exit 77 and print why on stdout
#   run.sh AOT_BINARY     boot the VM and run every scenario; RESULT lines on stdout, the serial console and
#                         diagnostics on stderr; exit 0 when the VM ran to its end, 77 when the suite cannot run
#                         here, anything else when the harness broke (a scenario without a RESULT line fails)
#
# The kernel package is downloaded once with apt-get and kept, with the parts of it the VM needs, in
# $AURORASOC_TEST_CACHE/kernel (default /var/cache/aurorasoc-test/kernel). Everything else is built in a temporary
# directory that is removed on exit, failure, Ctrl-C or SIGTERM; the VM is bounded by $AURORASOC_KERNEL_VM_TIMEOUT
# seconds (default 480).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
readonly system_tests="$here/.."
readonly vectors="$here/../../TestVectors"
readonly cache="${AURORASOC_TEST_CACHE:-/var/cache/aurorasoc-test}/kernel"
readonly vm_timeout="${AURORASOC_KERNEL_VM_TIMEOUT:-480}"

# What the VM's kernel must be able to load: nf_tables and the expressions the ruleset uses that are modules on
# Debian (ct, reject), conntrack, veth for the traffic scenarios, and sock_diag for strict mode's session cutting.
readonly module_roots=(nfnetlink nf_tables nft_ct nft_reject_inet nft_reject_ipv4 nft_reject_ipv6 nf_conntrack
    veth inet_diag tcp_diag udp_diag)

# The parts of the kernel package the closure of module_roots lives in (measured on 6.1.0-57: net/, lib/libcrc32c,
# crypto/crc32c*), so that unpacking skips the other 350 MB.
readonly package_parts=('./boot/vmlinuz-*' './lib/modules/*/modules.builtin*' './lib/modules/*/modules.order'
    './lib/modules/*/kernel/net/*' './lib/modules/*/kernel/drivers/net/veth.ko' './lib/modules/*/kernel/lib/*'
    './lib/modules/*/kernel/crypto/*' './lib/modules/*/kernel/arch/x86/crypto/*')

# shellcheck source=../lib/suite.sh
. "$system_tests/lib/suite.sh" || exit 2
# shellcheck source=../lib/kernel-package.sh
. "$system_tests/lib/kernel-package.sh" || exit 2

missing_requirement() {
    missing_tool qemu-system-x86_64:qemu-system-x86 cpio:cpio depmod:kmod modprobe:kmod kmod:kmod dpkg-deb:dpkg \
        gzip:gzip nft:nftables ip:iproute2 ldd:libc-bin timeout:coreutils
    missing_static_busybox
    if [ ! -r /etc/protocols ]; then
        echo "/etc/protocols is missing (Debian package netbase); nft needs it"
    fi
    if [ -z "$(cached_package)" ] && ! command -v apt-get >/dev/null; then
        echo "no cached linux-image-6.1 package in $cache and no apt-get to download one"
    fi
    if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
        echo "cannot write the kernel cache $cache: run as root or set AURORASOC_TEST_CACHE to a writable directory"
    fi
}

suite_arguments "$(missing_requirement | head -n 1)" "$@"
cli_binary=$(readlink -f "$1")
readonly cli_binary
# The guard's executable: `aurorasoc-isolate guard` execs it, so it is installed beside the CLI (one publish makes both).
guard_binary="$(dirname "$cli_binary")/aurorasoc-isolate-guard"
readonly guard_binary
[ -x "$guard_binary" ] || { echo "$guard_binary is missing: publish src/AuroraSoc.NetlinkIsolation.Cli, which puts it next to the CLI" >&2; exit 2; }

# shellcheck source=../lib/rootfs.sh
. "$system_tests/lib/rootfs.sh" || exit 2

begin_vm_suite kernel
use_kernel "${package_parts[@]}"

build_initramfs() {
    local root="$work/initramfs" module path
    mkdir -p "$root"/{bin,sbin,etc,proc,sys,dev,run,tmp,system/lib,system/vectors} || return 1
    install -m 0755 /bin/busybox "$root/bin/busybox" && ln -s busybox "$root/bin/sh" || return 1
    install_with_libraries "$root" "$cli_binary" /usr/bin/aurorasoc-isolate || return 1
    install_with_libraries "$root" "$guard_binary" /usr/bin/aurorasoc-isolate-guard || return 1
    install_with_libraries "$root" "$(readlink -f "$(command -v nft)")" /usr/sbin/nft || return 1
    install_with_libraries "$root" "$(readlink -f "$(command -v ip)")" /usr/sbin/ip || return 1
    # The kernel's request_module runs /sbin/modprobe (CONFIG_MODPROBE_PATH); kmod is what a Debian host runs there.
    install_with_libraries "$root" "$(readlink -f "$(command -v kmod)")" /usr/bin/kmod || return 1
    ln -s /usr/bin/kmod "$root/sbin/modprobe" || return 1
    cp /etc/protocols "$root/etc/protocols" || return 1

    for module in "${module_roots[@]}"; do
        modprobe --dirname "$kernel" --set-version "$version" --show-depends "$module" || return 1
    done | awk '$1 == "insmod" { print $2 }' | sort -u >"$work/modules" || return 1
    while read -r path; do
        install -D -m 0644 "$path" "$root${path#"$kernel"}" || return 1
    done <"$work/modules"
    cp "$kernel/lib/modules/$version"/modules.{builtin,builtin.modinfo,order} "$root/lib/modules/$version/" || return 1
    depmod -b "$root" "$version" || return 1
    echo "modules: $(xargs -n 1 basename <"$work/modules" | tr '\n' ' ')" >&2

    cp "$system_tests"/lib/scenario.sh "$system_tests"/lib/lifecycle.sh "$root/system/lib/" || return 1
    cp "$vectors"/*.listing.txt "$root/system/vectors/" || return 1
    install -m 0755 "$here/init.sh" "$root/init" || return 1
    (cd "$root" && find . | cpio --create --format=newc --owner=0:0 --quiet | gzip -1) >"$work/initramfs.gz"
}

if ! build_initramfs; then
    echo "could not build the initramfs" >&2
    exit 1
fi
echo "initramfs: $(stat -c %s "$work/initramfs.gz") bytes; kernel and initramfs ready after ${SECONDS} s" >&2
vm_started=$SECONDS

# TCG (no KVM here): one CPU that has every feature qemu emulates, so the NativeAOT binary's instruction set is there.
timeout --kill-after=10 "$vm_timeout" qemu-system-x86_64 -cpu max -smp 1 -m 1024 -nographic -no-reboot -nic none \
    -kernel "$kernel/boot/vmlinuz-$version" -initrd "$work/initramfs.gz" \
    -append "console=ttyS0 panic=-1 quiet loglevel=3" </dev/null >"$work/serial.log" 2>&1 &
vm_pid=$!
wait "$vm_pid"
vm_status=$?
vm_pid=
echo "the VM ran $((SECONDS - vm_started)) s (qemu exit $vm_status)" >&2

tr -d '\r' <"$work/serial.log" | grep -av '^RESULT ' >&2
tr -d '\r' <"$work/serial.log" | grep -a '^RESULT '
if ! tr -d '\r' <"$work/serial.log" | grep -aq '^SUITE-END'; then
    echo "the VM did not reach the end of its scenarios (qemu exit $vm_status; 124 = killed after ${vm_timeout} s)" >&2
    exit 1
fi
exit 0
