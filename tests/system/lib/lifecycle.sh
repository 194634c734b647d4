# The isolation lifecycle as scenario functions, shared by the container and kernel suites: POSIX sh only.
# The including script defines, for the namespace under test:
#   cli ARG...         runs aurorasoc-isolate there
#   nft_oracle ARG...  runs nft there (the reference; never used to install anything)
#   VECTORS            the directory holding tests/TestVectors/*.listing.txt (nft 1.0.6's listings on Linux 6.18)
# and sources scenario.sh first.

# The example policy of docs/ruleset.md (tests/TestVectors/contract-example.nft).
isolate_contract_example() {
    cli isolate --collector 192.0.2.10 --collector '[2001:db8::10]:443' --allow-peer 198.51.100.0/24 \
        --allow-dns --allow-dhcp "$@"
}

# Strict mode, DNS to any resolver, no DHCP, no reject (tests/TestVectors/strict-dns-any.nft), same table.
isolate_strict_dns_any() {
    cli isolate --collector 192.0.2.10:6514 --collector 2001:db8::10 --allow-dns --mode strict --no-reject "$@"
}

# show_matches_nft LISTING: `show`, the oracle's `nft list table inet aurorasoc` and LISTING are byte-identical.
show_matches_nft() {
    expect_exit 0 cli show || return 1
    cp "$OUT" "$SCRATCH/show.txt"
    expect_exit 0 nft_oracle list table inet aurorasoc || return 1
    cp "$OUT" "$SCRATCH/nft.txt"
    same_text "show vs nft list table" "$SCRATCH/nft.txt" "$SCRATCH/show.txt" || return 1
    same_text "nft list table vs ${1##*/}" "$1" "$SCRATCH/nft.txt" || return 1
    echo "show = nft list table = ${1##*/} ($(wc -l <"$1") lines)"
}

lifecycle_isolate_keep() {
    expect_exit 0 isolate_contract_example || return 1
    expect_exit 0 nft_oracle list tables || return 1
    if ! grep -qx 'table inet aurorasoc' "$OUT"; then
        echo "after isolate, nft list tables shows no 'table inet aurorasoc': $(tr '\n' ' ' <"$OUT")"
        return 1
    fi
    expect_exit 0 cli status || return 1
    echo "isolate (contract example, keep) exit 0; nft lists table inet aurorasoc; status exit 0"
}

lifecycle_show_equals_nft() {
    show_matches_nft "$VECTORS/contract-example.listing.txt"
}

# Re-isolating with another policy swaps the table in one transaction.
lifecycle_strict_swap() {
    expect_exit 0 isolate_strict_dns_any || return 1
    expect_exit 0 cli status || return 1
    show_matches_nft "$VECTORS/strict-dns-any.listing.txt" || return 1
    echo "keep -> strict swap: status 0; show = nft list table = strict-dns-any.listing.txt"
}

# Someone deletes a base chain behind our back: status says degraded (4).
lifecycle_degraded() {
    expect_exit 0 nft_oracle delete chain inet aurorasoc output || return 1
    expect_exit 4 cli status || return 1
    echo "after 'nft delete chain inet aurorasoc output': status exit 4 (degraded): $(head -n 1 "$OUT")"
}

# Isolating again repairs a degraded table.
lifecycle_repair() {
    expect_exit 0 isolate_strict_dns_any || return 1
    expect_exit 0 cli status || return 1
    show_matches_nft "$VECTORS/strict-dns-any.listing.txt" || return 1
    echo "isolate again: status 0; show = nft list table"
}

lifecycle_unisolate() {
    expect_exit 0 cli unisolate || return 1
    expect_exit 3 cli status || return 1
    expect_exit 0 nft_oracle list tables || return 1
    output_is_empty "tables left (nft list tables)" || return 1
    echo "unisolate exit 0; status exit 3; nft list tables empty"
}

# The whole lifecycle, in order, in the namespace cli and nft_oracle act on.
run_lifecycle_scenarios() {
    run_scenario isolate-keep lifecycle_isolate_keep
    run_scenario show-equals-nft lifecycle_show_equals_nft
    run_scenario strict-swap lifecycle_strict_swap
    run_scenario degraded lifecycle_degraded
    run_scenario repair lifecycle_repair
    run_scenario unisolate lifecycle_unisolate
}
