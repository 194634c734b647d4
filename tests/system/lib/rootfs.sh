# Building minimal root file systems on the host (bash): a binary plus exactly the shared libraries ldd lists.

# shared_libraries BINARY: the absolute paths ldd resolves for BINARY (the loader included, the vDSO excluded), one a
# line. Fails when ldd cannot resolve a library.
shared_libraries() {
    local listing
    listing=$(ldd "$1") || return 1
    if grep -q 'not found' <<<"$listing"; then
        echo "ldd $1: $(grep 'not found' <<<"$listing" | tr '\n' ' ')" >&2
        return 1
    fi
    # "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" and "/lib64/ld-linux-x86-64.so.2 (0x…)"
    awk '$2 == "=>" && $3 ~ /^\// { print $3 } $1 ~ /^\// { print $1 }' <<<"$listing"
}

# install_with_libraries ROOT BINARY DEST: copies BINARY to ROOT/DEST and each of its libraries to the same path under
# ROOT that ldd printed (symbolic links resolved, so the file is there whatever the host's link layout).
install_with_libraries() {
    local root=$1 binary=$2 dest=$3 library
    install -D -m 0755 "$binary" "$root$dest" || return 1
    for library in $(shared_libraries "$binary") ; do
        [ -e "$root$library" ] && continue
        install -D -m 0755 "$(readlink -f "$library")" "$root$library" || return 1
    done
}
