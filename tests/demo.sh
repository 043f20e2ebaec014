#!/usr/bin/env bash
# make demo: a tour of the book's six programs on loopback, each server on a
# port the OS picks, stopped by its PID; finishes by itself in a few seconds.
set -u
bin=$(cd "$(dirname "$0")/.." && pwd)/build/bin
tmp=$(mktemp -d "${TMPDIR:-/tmp}/netdemo-demo.XXXXXX")
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done
	rm -rf "$tmp"
}
trap cleanup EXIT
: >"$tmp/clients"

heading() { printf '\n== %s ==\n' "$*"; }

# start NAME ARGS...: run a server, wait (at most 5 s) for its Listening line
# and set PORT from it.
start() {
	local out=$tmp/$1.out
	SERVER="$*"
	timeout 30 "$bin/$@" >"$out" 2>&1 3>&- &
	pids+=($!)
	for _ in $(seq 250); do
		if grep -q '^Listening' "$out"; then
			PORT=$(sed -n '1s/.*, \([0-9]*\)[,)].*/\1/p' "$out")
			return 0
		fi
		sleep 0.02
	done
	echo "demo: $1 did not start:" >&2
	cat "$out" >&2
	exit 1
}

# stop NAME: stop the last server; show what it printed, then the clients.
stop() {
	local p=${pids[-1]}
	kill "$p" 2>/dev/null
	wait "$p" 2>/dev/null
	unset 'pids[-1]'
	printf '$ %s\n' "$SERVER"
	cat "$tmp/$1.out"
	cat "$tmp/clients"
	: >"$tmp/clients"
}

# client CMD...: run a client now; its transcript is shown after the server's.
client() {
	{
		printf '$ %s\n' "$*"
		timeout 10 "$bin/$@" 2>&1
	} >>"$tmp/clients"
}

heading "udp_local: UDP client and server on localhost (chapter 2)"
start udp_local server -p 0
client udp_local client -p "$PORT"
stop udp_local

heading "udp_remote: the server drops half; the client backs off (chapter 2)"
# A fixed seed drops the first two datagrams, so the backoff shows.
start udp_remote server 127.0.0.1 -p 0 --seed 7
client udp_remote client 127.0.0.1 -p "$PORT"
stop udp_remote
echo "(and with the server gone, ICMP says nobody listens there:)"
client udp_remote client 127.0.0.1 -p "$PORT"
cat "$tmp/clients"; : >"$tmp/clients"

heading "udp_broadcast: the server only listens (chapter 2)"
start udp_broadcast server 127.0.0.1 -p 0
client udp_broadcast client 127.0.0.1 -p "$PORT"
for _ in $(seq 250); do
	grep -q 'says:' "$tmp/udp_broadcast.out" && break
	sleep 0.02
done
stop udp_broadcast

heading "big_sender: a datagram larger than UDP allows (chapter 2)"
client big_sender 127.0.0.1
cat "$tmp/clients"; : >"$tmp/clients"

heading "tcp_sixteen: sixteen octets each way (chapter 3)"
start tcp_sixteen server 127.0.0.1 -p 0
client tcp_sixteen client 127.0.0.1 -p "$PORT"
stop tcp_sixteen

heading "tcp_deadlock: an upper-casing stream, and its deadlock (chapter 3)"
start tcp_deadlock server 127.0.0.1 -p 0
client tcp_deadlock client 127.0.0.1 32 -p "$PORT"
echo "(a gigabyte with nobody reading: both sides stall; --stall 2 explains)"
client tcp_deadlock client 127.0.0.1 1073741824 -p "$PORT" --stall 2
stop tcp_deadlock
