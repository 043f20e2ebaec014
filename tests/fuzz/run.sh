#!/usr/bin/env bash
# run.sh [-t TAPFILE] SECS TARGET...: run each libFuzzer target (built by
# make fuzz-build into build/fuzz/) for SECS seconds, one after the other,
# from the seed corpus in tests/fuzz/corpus/TARGET plus what earlier runs
# found (build/fuzz/corpus/TARGET), and print one line per target:
#   fuzz_opt: 1234567 execs in 60 s, 0 crashes
# With -t, also a TAP line per target into TAPFILE.  Exit status 1 if any
# target crashed, failed a check or did not run; the input that did it is
# kept as build/fuzz/artifacts/TARGET-crash-*, and the log as
# build/fuzz/TARGET.log.  Reproduce with build/fuzz/TARGET FILE.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.." || exit 1
tap=
if [[ ${1-} == -t ]]; then
	tap=$2
	shift 2
fi
if (($# < 2)) || [[ ! $1 =~ ^[0-9]+$ ]]; then
	echo "usage: tests/fuzz/run.sh [-t TAPFILE] SECS TARGET..." >&2
	exit 2
fi
secs=$1
shift
[[ -n $tap ]] && echo "1..$#" >"$tap"

n=0 bad=0
for target; do
	n=$((n + 1))
	bin=build/fuzz/$target work=build/fuzz/corpus/$target
	seeds=tests/fuzz/corpus/$target log=build/fuzz/$target.log
	art=build/fuzz/artifacts
	mkdir -p "$work" "$art"
	rm -f "$art/$target"-*
	status=0
	# -timeout: one input may take 10 s; the whole run is bounded twice.
	timeout -k 10 $((secs + 120)) "$bin" -max_total_time="$secs" \
	    -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
	    -artifact_prefix="$art/$target-" "$work" "$seeds" >"$log" 2>&1 ||
	    status=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	crashes=$(find "$art" -name "$target-*" | wc -l)
	if ((status != 0)) && ((crashes == 0)); then
		crashes=1
	fi
	line="$target: ${execs:-0} execs in $secs s, $crashes crashes"
	echo "$line"
	if ((status != 0 || crashes != 0)) || [[ -z $execs ]]; then
		bad=1
		tail -n 30 "$log" >&2
		[[ -n $tap ]] && echo "not ok $n - $line (see $log)" >>"$tap"
	else
		[[ -n $tap ]] && echo "ok $n - $line" >>"$tap"
	fi
done
exit "$bad"
