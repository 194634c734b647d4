# Scenario reporting and checks, shared by the container suite (bash on the host) and the kernel suite (busybox sh
# as PID 1 inside the VM): POSIX sh only.
#
# A scenario is a shell function that returns 0 when it passes. Everything it prints goes to the diagnostic stream
# (stderr), each line prefixed with "[NAME]"; its last line is the scenario's detail. run_scenario prints exactly
# one machine-readable line on stdout:
#
#     RESULT NAME pass|fail DETAIL
#
# The test project parses these lines (one xunit result per scenario) and fails a scenario whose line is missing.

SCRATCH=${SCRATCH:-/tmp}
OUT="$SCRATCH/scenario.out"
ERR="$SCRATCH/scenario.err"

# run_scenario NAME FUNCTION [ARG...]
run_scenario() {
    _scenario_name=$1
    shift
    _scenario_log="$SCRATCH/scenario-$_scenario_name.log"
    "$@" >"$_scenario_log" 2>&1
    _scenario_status=$?
    sed "s/^/[$_scenario_name] /" "$_scenario_log" >&2
    _scenario_detail=$(tail -n 1 "$_scenario_log" | tr -d '\r\n')
    if [ "$_scenario_status" -eq 0 ]; then
        printf 'RESULT %s pass %s\n' "$_scenario_name" "$_scenario_detail"
    else
        printf 'RESULT %s fail %s\n' "$_scenario_name" "${_scenario_detail:-exit status $_scenario_status}"
    fi
}

# expect_exit CODE COMMAND [ARG...]: runs COMMAND with its stdout in $OUT and its stderr in $ERR; fails unless it
# exits with CODE.
expect_exit() {
    _want=$1
    shift
    "$@" >"$OUT" 2>"$ERR"
    _got=$?
    if [ "$_got" -ne "$_want" ]; then
        echo "'$*' exited $_got, expected $_want; stderr: $(head -c 600 "$ERR" | tr '\n' ' ')"
        return 1
    fi
    echo "'$*' exited $_got as expected"
}

# same_text WHAT EXPECTED_FILE ACTUAL_FILE: byte-for-byte comparison; prints a diff when they differ.
same_text() {
    if cmp -s "$2" "$3"; then
        echo "$1: identical ($(wc -c <"$3") bytes)"
        return 0
    fi
    diff -u "$2" "$3" | head -n 60
    echo "$1: differ (expected $(wc -c <"$2") bytes, got $(wc -c <"$3"))"
    return 1
}

# stderr_mentions WORD: the last command's stderr ($ERR) contains WORD, case-insensitively.
stderr_mentions() {
    if grep -qi -- "$1" "$ERR"; then
        echo "stderr names '$1': $(head -n 1 "$ERR")"
        return 0
    fi
    echo "stderr does not name '$1': $(head -c 600 "$ERR" | tr '\n' ' ')"
    return 1
}

# output_is_empty WHAT: the last command's stdout ($OUT) is empty.
output_is_empty() {
    if [ ! -s "$OUT" ]; then
        echo "$1: none"
        return 0
    fi
    echo "$1: $(head -c 600 "$OUT" | tr '\n' ' ')"
    return 1
}
