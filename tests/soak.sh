#!/usr/bin/env bash
# soak.sh: push SOAK_UDP datagrams (default 1,000,000) through udp-server
# and SOAK_TCP connections (default 100,000) through tcp-server, on
# 127.0.0.1, and check that neither grows: resident memory may grow by
# less than 1 MiB and the open fd count not at all, between the first
# tenth of the operations (when every buffer has been touched) and the end.
# Prints the figures; exit 1 if a server grew, died or the load failed.
# Run by make soak (not by make test); takes a few tens of seconds.
#
# Environment: NETDEMO (default ./netdemo), SOAKLOAD (default
# build/soakload, made by make soak), SOAK_UDP, SOAK_TCP.
set -uo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.." || exit 1
NETDEMO=${NETDEMO:-./netdemo}
SOAKLOAD=${SOAKLOAD:-build/soakload}
tmp=$(mktemp -d) || exit 1
srv=
trap '[[ -n $srv ]] && kill "$srv" 2>/dev/null; rm -rf "$tmp"' EXIT

# rss PID, fds PID: resident KiB, open fds.
rss() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }
fds() { local f=(/proc/"$1"/fd/*); echo "${#f[@]}"; }

# soak NAME COUNT CMD...: run server CMD (-p 0) with its lines going to a
# reader that keeps only the first (to learn the port), load it with
# soakload NAME, sample it at start, after the first tenth and at the end.
soak() {
	local name=$1 count=$2 port line start_rss start_fds warm_rss warm_fds
	local end_rss end_fds rc=0 t0 secs load=
	shift 2
	rm -f "$tmp/listen" "$tmp/fifo"
	mkfifo "$tmp/fifo" || return 1
	timeout -k 5 600 "$@" -p 0 >"$tmp/fifo" 2>"$tmp/err" &
	srv=$!
	# The server's own lines are read and thrown away as it writes them.
	{ IFS= read -r line; echo "$line" >"$tmp/listen"; cat >/dev/null; } \
	    <"$tmp/fifo" &
	for _ in $(seq 100); do
		[[ -s $tmp/listen ]] && break
		sleep 0.05
	done
	line=$(cat "$tmp/listen" 2>/dev/null)
	if [[ ! $line =~ \'127\.0\.0\.1\',\ ([0-9]+)\) ]]; then
		echo "soak: $* printed no Listening line" >&2
		cat "$tmp/err" >&2
		return 1
	fi
	port=${BASH_REMATCH[1]}
	pid=$(pgrep -P "$srv" | head -n 1)
	start_rss=$(rss "$pid") start_fds=$(fds "$pid")
	warm_rss= warm_fds=
	t0=$EPOCHREALTIME
	while IFS= read -r line; do
		if [[ $line == "at "* && -z $warm_rss ]]; then
			warm_rss=$(rss "$pid") warm_fds=$(fds "$pid")
		fi
		[[ $line == "status "* ]] && load=${line#status }
		[[ $line == "at "* || $line == "status "* ]] ||
		    echo "  soakload: $line"
	done < <("$SOAKLOAD" "$name" "$port" "$count"; echo "status $?")
	secs=$(echo "$EPOCHREALTIME - $t0" | bc)
	if ! kill -0 "$pid" 2>/dev/null; then
		echo "soak: the $name server died" >&2
		cat "$tmp/err" >&2
		return 1
	fi
	# Let the last closes land before counting fds.
	for _ in $(seq 50); do
		(($(fds "$pid") <= ${warm_fds:-$start_fds})) && break
		sleep 0.1
	done
	end_rss=$(rss "$pid") end_fds=$(fds "$pid")
	kill "$srv"
	wait "$srv" 2>/dev/null
	srv=
	: "${warm_rss:=$start_rss}" "${warm_fds:=$start_fds}"
	printf '%s: %s in %.1f s; RSS KiB start %s, after 10 %% %s, end %s' \
	    "$*" "$count" "$secs" "$start_rss" "$warm_rss" "$end_rss"
	printf ' (growth %+d KiB); fds start %s, after 10 %% %s, end %s\n' \
	    $((end_rss - warm_rss)) "$start_fds" "$warm_fds" "$end_fds"
	if [[ $load != 0 ]]; then
		echo "soak: the $name load failed (status ${load:-none})" >&2
		rc=1
	fi
	if ((end_rss - warm_rss >= 1024)); then
		echo "soak: $name server grew by $((end_rss - warm_rss)) KiB" >&2
		rc=1
	fi
	if ((end_fds != start_fds)); then
		echo "soak: $name server holds $end_fds fds, $start_fds at" \
		    "start" >&2
		rc=1
	fi
	if [[ -s $tmp/err ]]; then
		echo "soak: the $name server complained:" >&2
		head -n 5 "$tmp/err" >&2
		rc=1
	fi
	return "$rc"
}

rc=0
soak udp "${SOAK_UDP:-1000000}" "$NETDEMO" udp-server || rc=1
soak tcp "${SOAK_TCP:-100000}" "$NETDEMO" tcp-server || rc=1
exit "$rc"
