#!/usr/bin/env bash
# make bench: netdemo against itself on 127.0.0.1, a small table of rates.
#
# Usage: tests/bench.sh [NETDEMO]   (default: ./netdemo beside tests/)
# Environment: BENCH_SECS (flood seconds, default 3), BENCH_CONNS (sixteen
# exchanges, default 40000), BENCH_BYTES (upper stream, default 1 GB),
# BENCH_PIN=0 (no taskset).
#
# Each server runs on a port the OS picks, logs the book's lines to a file
# (as an operator would run it), is pinned to CPU 0 with the client on CPU 1
# when there are two, and is stopped by its PID.  The server's CPU time per
# operation comes from /proc/PID/stat around the client's run; its peak
# memory from VmHWM.  Everything is bounded by timeout(1).
set -u
here=$(cd "$(dirname "$0")" && pwd)
nd=${1:-$here/../netdemo}
[[ $nd == /* ]] || nd=$PWD/$nd
secs=${BENCH_SECS:-3}
conns=${BENCH_CONNS:-40000}
bytes=${BENCH_BYTES:-1000000000}
if [[ ! -x $nd ]]; then
	echo "bench: $nd is missing: run make first" >&2
	exit 1
fi
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdemo-bench.XXXXXX") || exit 1
spid=
cleanup() {
	if [[ -n $spid ]]; then
		kill "$spid" 2>/dev/null
		wait "$spid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

srv_pin=() cli_pin=() pinned="not pinned"
if [[ ${BENCH_PIN:-1} != 0 ]] && command -v taskset >/dev/null &&
    (($(nproc) >= 2)); then
	srv_pin=(taskset -c 0) cli_pin=(taskset -c 1)
	pinned="server on CPU 0, client on CPU 1"
fi
hz=$(getconf CLK_TCK)

# start ARGS...: a server in the background, logging to a file; sets spid
# and port from its Listening line (at most 5 s).
start() {
	: >"$tmp/server.log"
	"${srv_pin[@]}" timeout 120 "$nd" "$@" -p 0 >"$tmp/server.log" \
	    2>"$tmp/server.err" </dev/null 3>&- &
	spid=$!
	for _ in $(seq 250); do
		port=$(sed -n '1s/^Listening at .*, \([0-9]*\))$/\1/p' \
		    "$tmp/server.log")
		[[ -n $port ]] && return 0
		sleep 0.02
	done
	echo "bench: '$nd $*' did not start:" >&2
	cat "$tmp/server.log" "$tmp/server.err" >&2
	exit 1
}

# The server process itself: timeout(1) runs it as its child.
server_pid() {
	local p
	p=$(cat "/proc/$spid/task/$spid/children" 2>/dev/null)
	echo "${p%% *}"
}

cpu_ticks() {
	local f
	read -ra f <"/proc/$1/stat" || return 1
	# Fields 14 and 15 (utime, stime) counted after the "(comm)" field.
	local rest=${f[*]}
	rest=${rest##*) }
	read -ra f <<<"$rest"
	echo $((f[11] + f[12]))
}

stop() {
	kill "$spid" 2>/dev/null
	wait "$spid" 2>/dev/null
	spid=
}

# field KEY: the number KEY holds in the client's summary event.
field() {
	sed -n "s/^{\"event\": \"summary\".*\"$1\": \([0-9.e+-]*\).*/\1/p" \
	    "$tmp/client.out"
}

rows=()
dashes() {
	local d
	printf -v d '%*s' "$1" ''
	echo "${d// /-}"
}
# run LABEL UNIT PER RATEKEY CLIENT-ARGS...: one row of the table.
run() {
	local label=$1 unit=$2 per=$3 key=$4 pid t0 t1 rate ops us hwm p50 p99
	shift 4
	pid=$(server_pid)
	t0=$(cpu_ticks "$pid")
	if ! "${cli_pin[@]}" timeout 60 "$nd" "$@" -p "$port" --json \
	    >"$tmp/client.out" 2>"$tmp/client.err"; then
		echo "bench: '$nd $* -p $port' failed:" >&2
		cat "$tmp/client.out" "$tmp/client.err" >&2
		exit 1
	fi
	t1=$(cpu_ticks "$pid")
	hwm=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' \
	    "/proc/$pid/status")
	rate=$(field "$key")
	case $per in
	reply) ops=$(field replies) ;;
	conn) ops=$(field done) ;;
	KB) ops=$(($(field received) / 1000)) ;;
	esac
	us=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$ops" 'BEGIN {
		if (n > 0) printf "%.2f", t * 1e6 / hz / n; else print "-" }')
	p50=$(field p50_us) p99=$(field p99_us)
	rows+=("$(printf '| %-34s | %19s | %8s | %8s | %12s | %15s |' \
	    "$label" "$rate $unit" "${p50:--}" "${p99:--}" "$us /$per" \
	    "$((hwm / 1024)).$((hwm % 1024 * 10 / 1024)) MiB")")
}

started=$SECONDS
start udp-server
run "udp flood, 64 in flight, ${secs} s" "replies/s" reply replies_per_s \
    udp-client --flood "$secs" --window 64
run "udp ping-pong, 1 in flight, 1 s" "replies/s" reply replies_per_s \
    udp-client --flood 1 --window 1
stop
start tcp-server --mode sixteen
run "tcp sixteen, 4 at a time, $conns" "conn/s" conn connections_per_s \
    tcp-client 127.0.0.1 --repeat "$conns" --parallel 4
run "tcp sixteen, 1 at a time, $((conns / 4))" "conn/s" conn \
    connections_per_s tcp-client 127.0.0.1 --repeat $((conns / 4)) \
    --parallel 1
stop
start tcp-server --mode upper
run "tcp upper, full duplex, $((bytes / 1000000)) MB" "MB/s" KB mb_per_s \
    tcp-client 127.0.0.1 --mode upper -n "$bytes" --full-duplex
stop

echo "netdemo bench: $("$nd" --version 2>/dev/null | head -1), on 127.0.0.1;" \
    "$(nproc) CPUs, $pinned; servers log the book's lines to a file"
echo
printf '| %-34s | %19s | %8s | %8s | %12s | %15s |\n' test rate "p50 us" \
    "p99 us" "server CPU" "server peak RSS"
printf '|%s|%s:|%s:|%s:|%s:|%s:|\n' "$(dashes 36)" "$(dashes 20)" \
    "$(dashes 9)" "$(dashes 9)" "$(dashes 13)" "$(dashes 16)"
printf '%s\n' "${rows[@]}"
echo
echo "(p50/p99: round trip for UDP, connect() to the 16th byte for TCP;" \
    "server CPU: user + system time per operation; $((SECONDS - started)) s)"
