#!/usr/bin/env bash
# The Debian package under a real systemd boot: Debian 12 (bookworm, made by mmdebstrap from this machine's apt
# sources) with its 6.1 kernel, booted twice under qemu (TCG) from one ext4 disk image. The VM is throwaway: it
# isolates its own host namespace, which is not this machine's.
#
#   boot 1  dpkg -i the package → the guard is enabled and started, nothing is isolated; the installed unit's
#           systemd-analyze security exposure; isolate the VM's host with a reason (handed over to the guard);
#           nftables.service enabled with a ruleset that starts with `flush ruleset`
#   boot 2  the isolation is in force, with its reason, before network-pre.target (a probe unit ordered before it);
#           nftables.service ran its flush first; STATUS=, journal priorities and `systemctl reload`; a hand-over with
#           --verify-collector; --netns-pid of a process in a user+network namespace owned by nobody (a rootless
#           container's shape); dpkg -i of a newer build keeps the isolation; purge keeps the intents and says so
#
# Scenario results are written inside the VM to /var/lib/boot-test/results and read back from the disk image with
# debugfs ("RESULT name pass|fail detail" on stdout); the serial console goes to stderr.
#
#   run.sh --check        exit 0 when the suite can run here; otherwise exit 77 and print why on stdout
#   run.sh AOT_BINARY     build the package from AOT_BINARY and the guard beside it, boot, report
#
# After the third-wave options are merged, add them to the isolation with one variable, e.g.
#   AURORASOC_BOOT_ISOLATE_EXTRA="--agent-cgroup aurorasoc-boot-agent --record-blocked" run.sh AOT_BINARY
# (default: --agent-cgroup aurorasoc-boot-agent --record-blocked; an empty value isolates with neither)
# The kernel package is cached as for the kernel suite ($AURORASOC_TEST_CACHE/kernel); the root file system, the
# packages and the image are built in a temporary directory removed on exit. Each boot is bounded by
# $AURORASOC_BOOT_VM_TIMEOUT seconds (default 420).
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly here
readonly system_tests="$here/.."
readonly repo="$here/../../.."
readonly cache="${AURORASOC_TEST_CACHE:-/var/cache/aurorasoc-test}/kernel"
readonly vm_timeout="${AURORASOC_BOOT_VM_TIMEOUT:-420}"
# By default the isolation is bound to an agent cgroup that exists at the first boot only: after the reboot the host
# must come up isolated and degraded (the cgroup is gone, its rule holds id 0), and isolated once the cgroup is made;
# it records what it blocks (--record-blocked), which the restore at boot must keep.
readonly isolate_extra="${AURORASOC_BOOT_ISOLATE_EXTRA---agent-cgroup aurorasoc-boot-agent --record-blocked}"

# The kernel suite's parts (nf_tables, conntrack, reject, veth, sock_diag) plus what booting from a virtio disk with
# ext4 needs, and the virtio RNG (entropy for systemd's early boot under TCG).
readonly package_parts=('./boot/vmlinuz-*' './lib/modules/*/modules.builtin*' './lib/modules/*/modules.order'
    './lib/modules/*/kernel/net/*' './lib/modules/*/kernel/drivers/net/veth.ko' './lib/modules/*/kernel/lib/*'
    './lib/modules/*/kernel/crypto/*' './lib/modules/*/kernel/arch/x86/crypto/*'
    './lib/modules/*/kernel/fs/ext4/*' './lib/modules/*/kernel/fs/jbd2/*' './lib/modules/*/kernel/fs/mbcache.ko'
    './lib/modules/*/kernel/drivers/block/virtio_blk.ko' './lib/modules/*/kernel/drivers/virtio/*'
    './lib/modules/*/kernel/drivers/char/hw_random/*')
# Loaded by the initramfs to reach the root file system.
readonly boot_modules=(virtio_pci virtio_blk crc32c_generic ext4 virtio_rng)
# What the VM's Debian has besides minbase: systemd as PID 1, the package's dependencies (procps: /bin/kill for
# ExecReload=), the oracles (nft, ip) and a TCP listener.
readonly vm_packages=systemd,systemd-sysv,dbus,nftables,iproute2,kmod,procps,netcat-openbsd

# shellcheck source=../lib/suite.sh
. "$system_tests/lib/suite.sh" || exit 2
# shellcheck source=../lib/kernel-package.sh
. "$system_tests/lib/kernel-package.sh" || exit 2

missing_requirement() {
    missing_tool qemu-system-x86_64:qemu-system-x86 mmdebstrap:mmdebstrap mkfs.ext4:e2fsprogs debugfs:e2fsprogs \
        cpio:cpio depmod:kmod modprobe:kmod dpkg-deb:dpkg dpkg-shlibdeps:dpkg-dev gzip:gzip timeout:coreutils \
        dotnet:dotnet-sdk
    missing_static_busybox
    if [ -z "$(cached_package)" ] && ! command -v apt-get >/dev/null; then
        echo "no cached linux-image-6.1 package in $cache and no apt-get to download one"
    fi
    if ! mkdir -p "$cache" 2>/dev/null || [ ! -w "$cache" ]; then
        echo "cannot write the kernel cache $cache: run as root or set AURORASOC_TEST_CACHE to a writable directory"
    fi
}

suite_arguments "$(missing_requirement | head -n 1)" "$@"
binaries=$(dirname "$(readlink -f "$1")")
readonly binaries

begin_vm_suite boot
use_kernel "${package_parts[@]}"

# Two builds of the same upstream version: the second's higher Debian revision makes `dpkg -i` an upgrade. The newer
# build is the first one repacked with revision 2 (the same files; a second build-deb.sh would only add minutes).
"$repo/src/packaging/build-deb.sh" --binaries "$binaries" --revision 1 --output "$work/debs" >"$work/build.out" ||
    { echo "build-deb.sh --revision 1 failed" >&2; exit 1; }
dpkg-deb -R "$work/debs/"*-1_amd64.deb "$work/repack" &&
    sed -i 's/^Version: \(.*\)-1$/Version: \1-2/' "$work/repack/DEBIAN/control" &&
    dpkg-deb --root-owner-group -Zxz --build "$work/repack" "$work/debs/" >&2 && rm -rf "$work/repack" ||
    { echo "could not repack the package as revision 2" >&2; exit 1; }
echo "packages: $(cd "$work/debs" && ls | tr '\n' ' ')after ${SECONDS} s" >&2

echo "== mmdebstrap bookworm ($vm_packages)" >&2
if ! mmdebstrap --quiet --variant=minbase --include="$vm_packages" bookworm "$work/rootfs" >&2; then
    echo "mmdebstrap failed" >&2
    exit 1
fi
root="$work/rootfs"
mkdir -p "$root/lib/modules" "$root/root/debs" "$root/var/lib/boot-test"
cp -a "$kernel/lib/modules/$version" "$root/lib/modules/"
cp "$work/debs"/*.deb "$root/root/debs/"
echo boot-test >"$root/etc/hostname"
# A machine id makes the first boot an ordinary one: no systemd-firstboot prompt on the console.
tr -d '-' </proc/sys/kernel/random/uuid >"$root/etc/machine-id"
ln -sf /dev/null "$root/etc/systemd/system/systemd-firstboot.service"
install -m 0755 "$here/boot-test.sh" "$root/usr/local/sbin/boot-test"
printf '%s\n' "$isolate_extra" >"$root/var/lib/boot-test/isolate-extra"
install -m 0644 "$here/aurorasoc-boot-test.service" "$here/aurorasoc-boot-probe.service" "$root/etc/systemd/system/"
mkdir -p "$root/etc/systemd/system/multi-user.target.wants" "$root/etc/systemd/system/sysinit.target.wants"
ln -s /etc/systemd/system/aurorasoc-boot-test.service "$root/etc/systemd/system/multi-user.target.wants/"
ln -s /etc/systemd/system/aurorasoc-boot-probe.service "$root/etc/systemd/system/sysinit.target.wants/"
# No login prompt on the serial console the boot log shares.
ln -s /dev/null "$root/etc/systemd/system/serial-getty@ttyS0.service"
echo "rootfs ready after ${SECONDS} s ($(du -sm "$root" | cut -f 1) MB)" >&2

image="$work/disk.img"
if ! mkfs.ext4 -q -F -L root -d "$root" "$image" 2G >&2; then
    echo "mkfs.ext4 -d failed" >&2
    exit 1
fi
rm -rf "$root"

# The initramfs only mounts the disk and hands over to systemd.
initramfs="$work/initramfs"
mkdir -p "$initramfs"/{bin,proc,sys,dev,newroot,modules}
install -m 0755 /bin/busybox "$initramfs/bin/busybox"
for module in "${boot_modules[@]}"; do
    modprobe --dirname "$kernel" --set-version "$version" --show-depends "$module" || exit 1
done | awk '$1 == "insmod" && !seen[$2]++ { print $2 }' >"$work/boot-modules"
while read -r path; do
    install -D -m 0644 "$path" "$initramfs/modules/$(basename "$path")"
    echo "/modules/$(basename "$path")"
done <"$work/boot-modules" >"$initramfs/modules/order"
cat >"$initramfs/init" <<'EOF'
#!/bin/busybox sh
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
while read -r module; do insmod "$module" 2>/dev/null; done </modules/order
for _ in $(seq 50); do [ -b /dev/vda ] && break; sleep 0.1; done
mount -t ext4 -o rw /dev/vda /newroot || { echo "initramfs: cannot mount /dev/vda"; poweroff -f; }
umount /proc /sys
mount --move /dev /newroot/dev
exec switch_root /newroot /lib/systemd/systemd
EOF
chmod 0755 "$initramfs/init"
(cd "$initramfs" && find . | cpio --create --format=newc --owner=0:0 --quiet | gzip -1) >"$work/initramfs.gz"

boot() {
    local phase=$1 started=$SECONDS status
    echo "== boot $phase" >&2
    # TCG (no KVM here): one CPU that has every feature qemu emulates, so the NativeAOT binary's instruction set is there.
    timeout --kill-after=10 "$vm_timeout" qemu-system-x86_64 -cpu max -smp 1 -m 1024 -nographic -no-reboot -nic none \
        -kernel "$kernel/boot/vmlinuz-$version" -initrd "$work/initramfs.gz" \
        -drive "file=$image,format=raw,if=virtio" -device virtio-rng-pci \
        -append "console=ttyS0 panic=-1 quiet loglevel=3 systemd.show_status=error boottest.phase=$phase" \
        </dev/null >"$work/serial-$phase.log" 2>&1 &
    vm_pid=$!
    wait "$vm_pid"
    status=$?
    vm_pid=
    tr -d '\r' <"$work/serial-$phase.log" >&2
    echo "boot $phase ran $((SECONDS - started)) s (qemu exit $status; 124 = killed after ${vm_timeout} s)" >&2
}

boot 1
boot 2
debugfs -R "cat /var/lib/boot-test/results" "$image" 2>/dev/null | tee "$work/results" | grep -v '^RESULT ' >&2
grep '^RESULT ' "$work/results"
debugfs -R "cat /var/lib/boot-test/log" "$image" >&2 2>/dev/null
if ! grep -q '^SUITE-END' "$work/results"; then
    echo "the VM did not reach the end of its scenarios" >&2
    exit 1
fi
exit 0
