#!/usr/bin/env bash
# capture.sh — regenerate the golden netlink vectors in this directory from nft 1.0.6.
#
# Usage (as root, from anywhere):
#     sudo tests/TestVectors/capture.sh
#
# Needs: root (network + pid namespaces, strace of nft), nft 1.0.6 (checked), strace (6.x tested),
# util-linux unshare, awk (mawk or gawk), diff.
#
# Safety: the whole script re-executes itself inside `unshare -n` (a throwaway network namespace),
# and every vector is captured in a further fresh `unshare -n -p -f` namespace. Nothing here ever
# touches the firewall of the machine's own network namespace.
#
# What it does, per vector NAME (see README.md for the list):
#   NAME.nft / NAME.cmd      input (written by hand, never by this script)
#   NAME.request.hex         the netlink messages nft sent on its NETLINK_NETFILTER socket (fd 3),
#                            one message per line, lowercase hex, nlmsghdr included, as sent (but see
#                            "Determinism" below for the two kinds of bytes that are zeroed)
#   NAME.reply.hex           the messages the kernel sent back (only for vectors where they matter)
#   NAME.listing.txt         stdout of `nft list table inet <table>` after applying NAME.nft
#   NAME.listing.diff        only written if the listing differs from NAME.nft (it should not)
# Lines starting with '#' are comments (message index, decoded type, flags, seq).
#
# Determinism: running the script twice gives byte-identical files on the same machine/kernel.
#   - nft 1.0.6 numbers its nfnetlink messages from 0 on each run (cache requests all use seq 0,
#     the batch uses 0,1,2,...); these are not time based.
#   - the kernel's netlink port id (nlmsg_pid in replies) is the pid of nft *inside its pid
#     namespace*; each capture runs in a fresh pid namespace, so it is stable.
#   - NFT_MSG_NEWGEN replies carry NFTA_GEN_PROC_PID = nft's pid in the *initial* pid namespace,
#     which differs on every run; this script zeroes that one 4-byte value (noted in a comment).
#   - nft's rtnetlink socket (interface name <-> index lookups for iif/oif "lo") uses
#     seq = time(NULL); it is a different socket and is not recorded.
#   - nft 1.0.6 builds its non-batch requests (GETTABLE, GET* dumps) in an uninitialised buffer and
#     does not clear netlink attribute padding, so those 1-3 bytes are garbage that changes per run
#     (and the kernel echoes them back inside NLMSG_ERROR). The script zeroes attribute padding in
#     every recorded nf_tables message (batch messages already have zero padding).
#   - table/chain/rule handles and the generation id (nfgenmsg res_id in replies) are per network
#     namespace counters, so they are stable because each capture starts from an empty namespace.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

if [[ "${AURORASOC_TV_INNER:-}" != 1 ]]; then
    [[ $(id -u) -eq 0 ]] || { echo "capture.sh: must run as root" >&2; exit 1; }
    for tool in nft strace unshare awk diff; do
        command -v "$tool" >/dev/null || { echo "capture.sh: $tool not found" >&2; exit 1; }
    done
    ver=$(nft --version)
    [[ "$ver" == "nftables v1.0.6 "* ]] || { echo "capture.sh: need nft 1.0.6, found: $ver" >&2; exit 1; }
    # Re-run the whole script inside a throwaway network namespace: belt and braces.
    AURORASOC_TV_INNER=1 exec unshare -n -- bash "$HERE/$(basename "${BASH_SOURCE[0]}")" "$@"
fi

NFT_VERSION=$(nft --version | awk '{sub(/^v/, "", $2); print $2}')
KERNEL=$(uname -r)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$HERE"

STRACE=(strace -xx -s 65535 -e trace=socket,sendmsg,sendto,recvmsg -e write=3 -e read=3)

# ---------------------------------------------------------------------------------------------
# awk: strace output -> selected netlink messages, one per line, each preceded by a '#' comment.
#   sel=batch : the sendmsg whose first message is NFNL_MSG_BATCH_BEGIN; replies = every recvmsg after it
#   sel=all   : every message sent / received on fd 3
#   sel=probe : the first non-dump NFT_MSG_GETTABLE request; replies = recvmsgs until the next send
#   side=send|recv
# ---------------------------------------------------------------------------------------------
read -r -d '' AWK_EXTRACT <<'AWK' || true
function hv(h) { return HX[substr(h, 1, 1)] * 16 + HX[substr(h, 2, 1)] }
function b(s, o) { return hv(substr(s, o * 2 + 1, 2)) }
function le16(s, o) { return b(s, o) + 256 * b(s, o + 1) }
function le32(s, o) { return le16(s, o) + 65536 * le16(s, o + 2) }
function al4(x) { return int((x + 3) / 4) * 4 }
# zero(o, cnt): set cnt bytes of msg at offset o to 00, counting the ones that were not.
function zero(o, cnt,    k) {
    for (k = 0; k < cnt; k++)
        if (substr(msg, (o + k) * 2 + 1, 2) != "00") { msg = substr(msg, 1, (o + k) * 2) "00" substr(msg, (o + k + 1) * 2 + 1); zeroed++ }
}
# zpad(o, end): walk the attributes in msg[o, end) and zero their alignment padding (recurses into NLA_F_NESTED).
function zpad(o, end,    alen, p) {
    while (o + 4 <= end) {
        alen = le16(msg, o); if (alen < 4 || o + alen > end) return
        if (le16(msg, o + 2) >= 32768) zpad(o + 4, o + alen)
        p = al4(alen) - alen; if (o + alen + p <= end) zero(o + alen, p)
        o += al4(alen)
    }
}
function tname(t,    sub_, low) {
    if (t in CTL) return CTL[t]
    sub_ = int(t / 256); low = t % 256
    if (sub_ == 10 && (low in NFT)) return "NFT_MSG_" NFT[low]
    return sprintf("0x%04x", t)
}
BEGIN {
    for (i = 0; i < 16; i++) HX[substr("0123456789abcdef", i + 1, 1)] = i
    CTL[1] = "NLMSG_NOOP"; CTL[2] = "NLMSG_ERROR"; CTL[3] = "NLMSG_DONE"; CTL[4] = "NLMSG_OVERRUN"
    CTL[16] = "NFNL_MSG_BATCH_BEGIN"; CTL[17] = "NFNL_MSG_BATCH_END"
    split("NEWTABLE GETTABLE DELTABLE NEWCHAIN GETCHAIN DELCHAIN NEWRULE GETRULE DELRULE NEWSET GETSET DELSET NEWSETELEM GETSETELEM DELSETELEM NEWGEN GETGEN TRACE NEWOBJ GETOBJ DELOBJ GETOBJ_RESET NEWFLOWTABLE GETFLOWTABLE DELFLOWTABLE", a, " ")
    for (i = 1; i in a; i++) NFT[i - 1] = a[i]
    ERR[1] = "EPERM"; ERR[2] = "ENOENT"; ERR[16] = "EBUSY"; ERR[17] = "EEXIST"; ERR[22] = "EINVAL"
    ERR[95] = "EOPNOTSUPP"; ERR[105] = "ENOBUFS"
    n = 0; cur = 0
}
/^(sendmsg|sendto|recvmsg)\(/ {
    cur = 0
    if ($0 ~ /^[a-z]+\(3, /) { n++; dir[n] = ($0 ~ /^recvmsg/) ? "recv" : "send"; hex[n] = ""; cur = n }
    next
}
/^ \| [0-9a-f]+  / {
    if (cur) { s = $0; sub(/^ \| [0-9a-f]+  /, "", s); s = substr(s, 1, 49); gsub(/ /, "", s); hex[cur] = hex[cur] s }
    next
}
/^[a-z_0-9]+\(/ || /^\+\+\+/ || /^---/ { cur = 0; next }
END {
    start = 0
    for (i = 1; i <= n; i++) {
        if (dir[i] != "send" || length(hex[i]) < 32) continue
        t = le16(hex[i], 4); f = le16(hex[i], 6)
        if (sel == "batch" && t == 16) { start = i; break }
        if (sel == "probe" && t == 2561 && int(f / 256) % 4 == 0) { start = i; break }
    }
    if (sel != "all" && !start) { print "capture.sh: no " sel " request found in trace" > "/dev/stderr"; exit 2 }
    for (i = 1; i <= n; i++) {
        if (sel == "all") keep[i] = (dir[i] == side)
        else if (side == "send") keep[i] = (i == start)
        else if (i > start && dir[i] == "recv") { keep[i] = 1; if (sel == "probe") for (j = start + 1; j < i; j++) if (dir[j] == "send") keep[i] = 0 }
    }
    m = 0
    for (i = 1; i <= n; i++) {
        if (!keep[i]) continue
        h = hex[i]; L = length(h) / 2; pos = 0
        while (pos + 16 <= L) {
            len = le32(h, pos)
            if (len < 16 || pos + len > L) { print "capture.sh: bad nlmsg_len " len " at " pos > "/dev/stderr"; exit 3 }
            msg = substr(h, pos * 2 + 1, len * 2)
            t = le16(msg, 4); f = le16(msg, 6)
            note = ""
            # nft 1.0.6 builds its non-batch requests (GET*) in an uninitialised stack buffer and libmnl
            # does not clear attribute padding: those bytes are garbage that changes on every run (the
            # kernel echoes them back inside NLMSG_ERROR). Zero them so the vectors are deterministic.
            zeroed = 0
            if (int(t / 256) == 10 && len > 20) zpad(20, len)
            if (t == 2 && len >= 40) {
                elen = le32(msg, 20)
                if (elen >= 20 && 20 + elen <= len && int(le16(msg, 24) / 256) == 10) zpad(40, 20 + elen)
            }
            if (t == 2 && len >= 20) {
                e = le32(msg, 16); if (e >= 2147483648) e -= 4294967296
                note = sprintf(" error=%d", e); if ((-e) in ERR) note = note " (" ERR[-e] ")"
            }
            if (side == "recv" && t == 2575) {   # NFT_MSG_NEWGEN: zero NFTA_GEN_PROC_PID (type 2)
                o = 20
                while (o + 4 <= len) {
                    alen = le16(msg, o); if (alen < 4) break
                    if (le16(msg, o + 2) % 16384 == 2 && alen == 8) {
                        msg = substr(msg, 1, (o + 4) * 2) "00000000" substr(msg, (o + 8) * 2 + 1)
                        note = note " (NFTA_GEN_PROC_PID zeroed: it is nft's global pid)"
                    }
                    o += al4(alen)
                }
            }
            printf "# [%d] %s flags=0x%04x seq=%.0f len=%d%s\n", m, tname(t), f, le32(msg, 8), len, note
            print msg
            m++
            pos += al4(len)
        }
    }
}
AWK

# extract TRACE SEL SIDE -> stdout
extract() { awk -v sel="$2" -v side="$3" "$AWK_EXTRACT" "$1"; }

# check_trace TRACE: fd 3 must be nft's NETLINK_NETFILTER socket (the -e write=3/read=3 assumption).
check_trace() {
    grep -q '^socket(AF_NETLINK, SOCK_RAW, NETLINK_NETFILTER) = 3$' "$1" \
        || { echo "capture.sh: $1: nfnetlink socket is not fd 3" >&2; exit 1; }
}

# write_hex FILE HEADERLINE... < messages
write_hex() {
    local file=$1; shift
    { for line in "$@"; do printf '# %s\n' "$line"; done; cat; } > "$file.tmp"
    mv "$file.tmp" "$file"
    echo "  wrote $file ($(grep -vc '^#' "$file") messages)"
}

# in_fresh_ns SCRIPT ARGS...: run `sh -c SCRIPT` in a new, empty network + pid namespace.
in_fresh_ns() { local script=$1; shift; unshare -n -p -f --kill-child -- sh -c "$script" sh "$@"; }

# check_listing NAME: the listing must equal the canonical input byte for byte.
check_listing() {
    local name=$1
    if diff -u --label "$name.nft" --label "$name.listing.txt" "$name.nft" "$name.listing.txt" > "$WORK/$name.diff"; then
        rm -f "$name.listing.diff"
        echo "  $name.listing.txt equals $name.nft byte for byte"
    else
        cp "$WORK/$name.diff" "$name.listing.diff"
        echo "  NOTE: $name.listing.txt differs from $name.nft, see $name.listing.diff" >&2
    fi
}

# The strace command line, as one executable the namespaced sh can call as "$1".
cat > "$WORK/st" <<EOF
#!/bin/sh
exec ${STRACE[*]} "\$@"
EOF
chmod +x "$WORK/st"
ST="$WORK/st"

# apply_and_list NAME TABLE: trace nft -f NAME.nft and nft list table inet TABLE in one fresh namespace.
apply_and_list() {
    local name=$1 table=$2
    in_fresh_ns '"$1" -o "$2" nft -f "$3" && "$1" -o "$4" nft list table inet "$5" > "$6"' \
        "$ST" "$WORK/$name.apply" "$name.nft" "$WORK/$name.list" "$table" "$name.listing.txt"
    check_trace "$WORK/$name.apply"; check_trace "$WORK/$name.list"
    extract "$WORK/$name.apply" batch send | write_hex "$name.request.hex" "nft $NFT_VERSION: nft -f $name.nft" \
        "the batch (one sendmsg); before it nft sent cache requests (GETGEN, GETTABLE/GETCHAIN/... dumps), not recorded here"
    check_listing "$name"
}

echo "nft $NFT_VERSION, kernel $KERNEL"

# --- contract-example (+ list-table, gettable-probe from the same namespace) ------------------------
echo "contract-example"
apply_and_list contract-example aurorasoc
cp contract-example.listing.txt list-table.listing.txt
echo "list-table"
extract "$WORK/contract-example.list" all send | write_hex list-table.request.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (after nft -f contract-example.nft in an empty namespace)" \
    "every request nft sent on its nfnetlink socket, in order"
extract "$WORK/contract-example.list" all recv | write_hex list-table.reply.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (after nft -f contract-example.nft in an empty namespace)" \
    "kernel $KERNEL: every message received on the nfnetlink socket, in order"
echo "gettable-probe"
extract "$WORK/contract-example.list" probe send | write_hex gettable-probe.request.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (table exists: contract-example applied)" \
    "only the non-dump GETTABLE nft sends first"
extract "$WORK/contract-example.list" probe recv | write_hex gettable-probe.reply.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (table exists: contract-example applied)" \
    "kernel $KERNEL: replies to that GETTABLE (NEWTABLE, then the ACK)"

echo "gettable-probe-missing"
in_fresh_ns '"$1" -o "$2" nft list table inet aurorasoc || true' "$ST" "$WORK/missing.list" 2>/dev/null
check_trace "$WORK/missing.list"
extract "$WORK/missing.list" probe send | write_hex gettable-probe-missing.request.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (empty namespace: table missing)"
extract "$WORK/missing.list" probe recv | write_hex gettable-probe-missing.reply.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (empty namespace: table missing)" \
    "kernel $KERNEL: reply to that GETTABLE"

# --- the other table vectors --------------------------------------------------------------------------
echo "strict-variant"
apply_and_list strict-variant custom_tbl-1
echo "strict-dns-any"
apply_and_list strict-dns-any aurorasoc
echo "record-blocked"
apply_and_list record-blocked aurorasoc

# --- a table with a comment (--reason): the request, the listing, and the kernel's NEWTABLE carrying it back ----
echo "reason-comment"
apply_and_list reason-comment aurorasoc
extract "$WORK/reason-comment.list" probe recv | write_hex reason-comment.reply.hex \
    "nft $NFT_VERSION: nft list table inet aurorasoc   (after nft -f reason-comment.nft in an empty namespace)" \
    "kernel $KERNEL: replies to nft's first GETTABLE (NEWTABLE with NFTA_TABLE_USERDATA, then the ACK)"

# --- transactions ----------------------------------------------------------------------------------------
for name in isolate-transaction unisolate-transaction; do
    echo "$name"
    in_fresh_ns '"$1" -o "$2" nft -f "$3"' "$ST" "$WORK/$name.apply" "$name.nft"
    check_trace "$WORK/$name.apply"
    extract "$WORK/$name.apply" batch send | write_hex "$name.request.hex" "nft $NFT_VERSION: nft -f $name.nft" \
        "the batch (one sendmsg); cache requests before it are not recorded"
done

# Re-isolating (the table already exists) must send the very same batch.
echo "isolate-transaction (re-isolate check)"
in_fresh_ns 'nft -f "$3" && "$1" -o "$2" nft -f "$3"' "$ST" "$WORK/reisolate.apply" isolate-transaction.nft
extract "$WORK/reisolate.apply" batch send > "$WORK/reisolate.hex"
if diff <(grep -v '^#' isolate-transaction.request.hex) <(grep -v '^#' "$WORK/reisolate.hex") > /dev/null; then
    echo "  second isolate batch is byte-identical to the first"
else
    echo "  NOTE: second isolate batch differs from the first" >&2
fi

# --- error replies ----------------------------------------------------------------------------------------
error_vector() {
    local name=$1
    echo "$name"
    local cmd; cmd=$(head -n1 "$name.cmd")
    # shellcheck disable=SC2086  # the .cmd line is word-split into nft arguments on purpose
    in_fresh_ns '"$1" -o "$2" nft $3 2>/dev/null; test $? -eq 1' "$ST" "$WORK/$name.apply" "$cmd"
    check_trace "$WORK/$name.apply"
    extract "$WORK/$name.apply" batch send | write_hex "$name.request.hex" "nft $NFT_VERSION: nft $cmd" \
        "the batch (one sendmsg); the kernel rejects it"
    extract "$WORK/$name.apply" batch recv | write_hex "$name.reply.hex" "nft $NFT_VERSION: nft $cmd" \
        "kernel $KERNEL: every message received after the batch (nft set NETLINK_EXT_ACK, not NETLINK_CAP_ACK)"
}
error_vector error-reply
error_vector error-reply-deltable

# --- named sets (large allowlists): interval sets, concatenations with a port, set lookups ----------------------
for name in named-sets-v4 named-sets-v6; do
    echo "$name"
    apply_and_list "$name" aurorasoc
done

# --- agent identities: socket cgroupv2, meta skuid, meta skgid in the output collector rule -------------------
# nft resolves a cgroupv2 path relative to /sys/fs/cgroup and stores the cgroup id, which is the inode
# number of the cgroup directory: the vector needs a real cgroup2 directory, made here and removed after.
# agent-identity.nft names it under "unified/": a hybrid host's cgroup2 mount (found in mountinfo). The
# id in the captured bytes is this machine's inode number; the tests substitute it (see README.md).
echo "agent-identity"
CG2=$(awk '$9 == "cgroup2" { print $5; exit }' /proc/self/mountinfo)
if [[ "$CG2" != /sys/fs/cgroup/unified ]]; then
    echo "  SKIPPED: agent-identity.nft needs cgroup2 at /sys/fs/cgroup/unified (hybrid layout), found: ${CG2:-none}" >&2
else
    CGDIR=$CG2/system.slice/aurorasoc-tv.service
    CG_MADE_SLICE=0; [[ -d $CG2/system.slice ]] || CG_MADE_SLICE=1
    mkdir -p "$CGDIR"
    trap 'rmdir "$CGDIR"; [[ $CG_MADE_SLICE == 1 ]] && rmdir "$CG2/system.slice"; rm -rf "$WORK"' EXIT
    apply_and_list agent-identity aurorasoc
    echo "  cgroup id (inode of $CGDIR) in this capture: $(stat -c %i "$CGDIR")"
fi

echo "done"
