# The command line every suite script shares (bash on the host):
#   run.sh --check        exit 0 when the suite can run here; otherwise exit 77 and print why on stdout
#   run.sh AOT_BINARY     run every scenario with that NativeAOT aurorasoc-isolate
# 77 is the "cannot run here" code the test project maps to a skip (a failure under AURORASOC_REQUIRE_PRIVILEGED=1).

# missing_tool TOOL:PACKAGE...: names the first TOOL that is not on PATH, with the Debian package that has it.
missing_tool() {
    local entry
    for entry in "$@"; do
        if ! command -v "${entry%%:*}" >/dev/null; then
            echo "'${entry%%:*}' is not installed (Debian package ${entry#*:})"
            return
        fi
    done
}

# missing_static_busybox: the images are built around /bin/busybox, which must need no shared library.
missing_static_busybox() {
    if [ ! -x /bin/busybox ] || ldd /bin/busybox >/dev/null 2>&1; then
        echo "/bin/busybox is missing or not statically linked (Debian package busybox-static)"
    fi
}

# suite_arguments REASON ARG...: exits 77 with REASON when there is one; exits 0 for --check; otherwise checks that
# the only argument is an executable and returns.
suite_arguments() {
    local reason=$1
    shift
    if [ -n "$reason" ]; then
        echo "$reason"
        exit 77
    fi
    if [ "${1:-}" = --check ]; then
        exit 0
    fi
    if [ $# -ne 1 ] || [ ! -x "$1" ]; then
        echo "usage: $0 --check | $0 AOT_BINARY (the NativeAOT aurorasoc-isolate)" >&2
        exit 2
    fi
}

# announce_created PATH...: tells the test project what this run creates outside the cache ("CREATED path" on
# stdout), so that it can check that none of it exists after the run.
announce_created() {
    local path
    for path in "$@"; do
        echo "CREATED $path"
    done
}
