# Debian 12's 6.1 kernel package for the VM suites (bash on the host): downloaded once with apt-get and kept, with
# the parts a suite unpacks from it, in $cache (the caller sets it, e.g. $AURORASOC_TEST_CACHE/kernel).

# The Debian 12 kernel image package the metapackage depends on, e.g. linux-image-6.1.0-57-amd64.
kernel_package_name() {
    apt-cache depends linux-image-amd64 2>/dev/null |
        awk '$1 == "Depends:" && $2 ~ /^linux-image-6\.1\.[0-9]+-[0-9]+-amd64$/ { print $2; exit }'
}

cached_package() {
    local name=${1:-linux-image-6.1.*-amd64}
    # shellcheck disable=SC2086 # the name may be a pattern
    ls -1 "$cache"/$name\_*_amd64.deb 2>/dev/null | tail -n 1
}

# fetch_kernel_package: prints the path of the cached .deb, downloading it first when it is not cached.
fetch_kernel_package() {
    local name deb download
    name=$(kernel_package_name)
    if [ -z "$name" ]; then
        deb=$(cached_package)
        if [ -n "$deb" ]; then
            echo "apt-cache knows no linux-image-6.1 dependency of linux-image-amd64; using the cached $deb" >&2
            echo "$deb"
            return 0
        fi
        echo "apt-cache knows no linux-image-6.1 dependency of linux-image-amd64 (needs Debian 12's package lists:" \
            "apt-get update) and nothing is cached in $cache" >&2
        return 1
    fi
    deb=$(cached_package "$name")
    if [ -n "$deb" ]; then
        echo "$deb"
        return 0
    fi
    mkdir -p "$cache" || return 1
    download=$(mktemp -d "$cache/download.XXXXXX") || return 1
    echo "downloading $name into $cache" >&2
    if ! (cd "$download" && apt-get download "$name" >&2); then
        rm -rf "$download"
        return 1
    fi
    mv "$download"/*.deb "$cache"/ && rm -rf "$download"
    cached_package "$name"
}

# unpack_kernel DEB PART...: prints a directory holding boot/vmlinuz-* and lib/modules/VERSION/ (the PARTs of the
# package the VM needs, tar wildcards, with depmod's indexes), unpacked once per package and list of parts into the
# cache.
unpack_kernel() {
    local deb=$1 unpacked staging version parts
    shift
    local wanted=("$@")
    # Keyed by the list of parts too, so that a changed list never finds an older, smaller unpacking.
    parts=$(printf '%s\n' "${wanted[@]}" | md5sum | cut -c 1-8)
    unpacked="$cache/$(basename "$deb" .deb).unpacked-$parts"
    if [ ! -d "$unpacked" ]; then
        staging=$(mktemp -d "$cache/unpack.XXXXXX") || return 1
        if ! dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$staging" --wildcards "${wanted[@]}"; then
            rm -rf "$staging"
            return 1
        fi
        version=$(ls "$staging/lib/modules")
        # The package ships no modules.dep: its postinst runs depmod on the installed system.
        depmod -b "$staging" "$version" || { rm -rf "$staging"; return 1; }
        mv -T "$staging" "$unpacked" 2>/dev/null || rm -rf "$staging"
    fi
    echo "$unpacked"
}

# begin_vm_suite NAME: sets $work, a new temporary directory announced for the left-behind check, removed (after the
# VM in $vm_pid, if any, is killed) on exit, failure, Ctrl-C or SIGTERM.
begin_vm_suite() {
    work=$(mktemp -d "/tmp/aurorasoc-$1-suite.XXXXXX") || exit 1
    readonly work
    announce_created "$work"
    vm_pid=
    trap end_vm_suite EXIT
    trap 'exit 130' INT
    trap 'exit 143' TERM
}

end_vm_suite() {
    trap - EXIT INT TERM
    [ -n "$vm_pid" ] && kill "$vm_pid" 2>/dev/null && wait "$vm_pid" 2>/dev/null
    rm -rf "$work"
}

# use_kernel PART...: sets $kernel (the unpacked PARTs, see unpack_kernel) and $version; exits 77 when no kernel
# package can be had here, 1 when it cannot be unpacked.
use_kernel() {
    local deb
    deb=$(fetch_kernel_package)
    if [ -z "$deb" ]; then
        echo "the Debian 12 kernel package could not be downloaded and none is cached in $cache"
        exit 77
    fi
    kernel=$(unpack_kernel "$deb" "$@") || { echo "could not unpack $deb" >&2; exit 1; }
    version=$(ls "$kernel/lib/modules")
    readonly kernel version
    echo "kernel: $(basename "$deb") ($version)" >&2
}
