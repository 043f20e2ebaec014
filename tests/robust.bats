#!/usr/bin/env bats
# robust.bats: hostile peers (SPEC §6).  After each attack a normal client
# must get its answer, and the server's open fd count (from /proc) must be
# back to what it was when it started listening.  Also: a closed stdout, a
# reset that must not raise SIGPIPE, and servers that bind to loopback only.

load test_helper/common

HOSTILE=$BATS_TEST_DIRNAME/test_helper/hostile.py

setup_file() {
	nd_setup_links
	# Under memcheck (make valgrind) everything is ~20 times slower.
	if [[ -n ${ND_SLOW:-} ]]; then
		SLOW_BYTES=12 FD_WAIT=60
	else
		SLOW_BYTES=3 FD_WAIT=10
	fi
	export SLOW_BYTES FD_WAIT
}

# hostile SUBCOMMAND ARGS...: a misbehaving peer, bounded.
hostile() {
	timeout -k 2 "$ND_TIMEOUT" python3 "$HOSTILE" "$@"
}

# hostile_bg PREFIX SUBCOMMAND ARGS...: the same in the background, as
# start_bg PREFIX starts it (PREFIX_PID, PREFIX_OUT; teardown ends it).
hostile_bg() {
	start_bg "$1" python3 "$HOSTILE" "${@:2}"
}

# server_pid PREFIX: the server itself, the one child of its timeout(1).
server_pid() {
	local wrapper=${1}_PID
	pgrep -P "${!wrapper}" | head -n 1
}

# fd_count PID: how many fds PID holds open.
fd_count() {
	local fds=(/proc/"$1"/fd/*)
	echo "${#fds[@]}"
}

# wait_fds PID N: wait (FD_WAIT s) for PID to hold exactly N fds again.
wait_fds() {
	local pid=$1 want=$2 now deadline have
	_nd_now_ms now
	deadline=$((now + FD_WAIT * 1000))
	while :; do
		have=$(fd_count "$pid")
		((have == want)) && return 0
		_nd_now_ms now
		if ((now >= deadline)); then
			echo "server $pid holds $have fds, $want at start:" >&2
			ls -l /proc/"$pid"/fd >&2
			return 1
		fi
		sleep 0.05
	done
}

# start_watched PREFIX CMD...: start_server, then note the server's PID
# (PREFIX_SPID) and its fd count at rest (PREFIX_FDS).
start_watched() {
	local prefix=$1 spid
	start_server "$@" || return 1
	spid=$(server_pid "$prefix")
	[[ -n $spid ]] || { echo "no server under ${prefix}_PID" >&2; return 1; }
	export "${prefix}_SPID=$spid" "${prefix}_FDS=$(fd_count "$spid")"
}

# start_json PREFIX CMD...: start_watched for a server run with --json,
# whose first event gives the port.
start_json() {
	local prefix=$1 out=$BATS_TEST_TMPDIR/$1.out err=$BATS_TEST_TMPDIR/$1.err
	shift
	# As start_server does it (see there).
	setsid timeout --foreground -k "$ND_STOP_TIMEOUT" \
	    "$ND_SERVER_LIFETIME" "$@" </dev/null >"$out" 2>"$err" 3>&- &
	ND_SERVER_PIDS+=("$!")
	export "${prefix}_PID=$!" "${prefix}_OUT=$out" "${prefix}_ERR=$err"
	wait_for_line "$out" '^\{"event": "listening", "address": \{"host": "127\.0\.0\.1", "port": ([0-9]+)\}\}$' ||
	    return 1
	export "${prefix}_PORT=${BASH_REMATCH[1]}" \
	    "${prefix}_SPID=$(server_pid "$prefix")"
	spid_var=${prefix}_SPID
	export "${prefix}_FDS=$(fd_count "${!spid_var}")"
}

# udp_ok: a normal udp-client gets its byte count back from SRV.
udp_ok() {
	run bounded netdemo udp-client -p "$SRV_PORT" -m 'still there?'
	assert_success
	assert_line "The server says 'Your data was 12 bytes long'"
}

# sixteen_ok: a normal tcp-client does the sixteen-octet exchange with SRV.
sixteen_ok() {
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line "The server said b'Farewell, client'"
}

# upper_ok: a normal tcp-client gets its stream back upper-cased from SRV.
upper_ok() {
	run bounded netdemo tcp-client 127.0.0.1 --mode upper -n 32 \
	    -p "$SRV_PORT"
	assert_success
	assert_line "  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!'"
	assert_line "  32 bytes received"
}

# still_up PREFIX: the server runs, holds its fds at rest, and stops cleanly.
still_up() {
	local spid=${1}_SPID fds=${1}_FDS status=${1}_STATUS
	_nd_alive "${!spid}"
	wait_fds "${!spid}" "${!fds}"
	stop_server "$1" TERM
	assert_equal "${!status}" 143
}

@test "udp-server survives non-ASCII datagrams and shows them as bytes" {
	start_watched SRV netdemo udp-server -p 0
	run hostile udp-send nonascii -p "$SRV_PORT" --count 20 --expect-replies
	assert_success
	wait_for_line "$SRV_OUT" "says b'\\\\xff\\\\xfe\\\\x00\\\\x80\\\\xc3\\\\xa9\\\\x1b"
	udp_ok
	still_up SRV
}

@test "udp-server answers empty datagrams with a zero count" {
	start_watched SRV netdemo udp-server -p 0
	run hostile udp-send empty -p "$SRV_PORT" --count 20 --expect-replies
	assert_success
	assert_output 'sent 20 datagrams of 0 bytes, 20 replies'
	wait_for_line "$SRV_OUT" "^The client at \\('127\\.0\\.0\\.1', [0-9]+\\) says ''$"
	udp_ok
	still_up SRV
}

@test "udp-server answers 65507-byte datagrams, the largest UDP allows" {
	start_watched SRV netdemo udp-server -p 0
	run hostile udp-send size --size 65507 -p "$SRV_PORT" --count 20 \
	    --expect-replies
	assert_success
	assert_output 'sent 20 datagrams of 65507 bytes, 20 replies'
	udp_ok
	still_up SRV
}

@test "udp-server survives a flood of every kind at once with --json" {
	start_json SRV netdemo udp-server -p 0 --json
	local pids=()
	hostile udp-send size --size 65507 -p "$SRV_PORT" --count 200 3>&- &
	pids+=("$!")
	hostile udp-send nonascii -p "$SRV_PORT" --count 200 3>&- &
	pids+=("$!")
	hostile udp-send empty -p "$SRV_PORT" --count 200 3>&- &
	pids+=("$!")
	for pid in "${pids[@]}"; do
		wait "$pid"
	done
	# A flood may lose datagrams of any kind; one of each, answered,
	# makes sure every kind has been through the JSON path.
	run hostile udp-send size --size 65507 -p "$SRV_PORT" --expect-replies
	assert_success
	run hostile udp-send nonascii -p "$SRV_PORT" --expect-replies
	assert_success
	run hostile udp-send empty -p "$SRV_PORT" --expect-replies
	assert_success
	udp_ok
	wait_for_line "$SRV_OUT" '"data": "", "base64": false, "bytes": 0\}$'
	wait_for_line "$SRV_OUT" '"base64": true, "bytes": 65507\}$'
	wait_for_line "$SRV_OUT" '"data": "//4AgMOpG'
	still_up SRV
}

@test "tcp-server survives a client that sends 5 bytes and closes" {
	start_watched SRV netdemo tcp-server -p 0
	run hostile tcp-short --bytes 5 -p "$SRV_PORT"
	assert_success
	wait_for_line "$SRV_ERR" "was expecting 16 bytes but only received 5 bytes before the socket closed$"
	sixteen_ok
	still_up SRV
}

@test "tcp-server survives a client that resets mid-stream" {
	start_watched SRV netdemo tcp-server --mode upper -p 0
	run hostile tcp-reset --bytes 200000 -p "$SRV_PORT"
	assert_success
	upper_ok
	still_up SRV
}

@test "tcp-server survives a client that resets mid-message in sixteen mode" {
	start_watched SRV netdemo tcp-server -p 0
	run hostile tcp-reset --bytes 7 -p "$SRV_PORT"
	assert_success
	sixteen_ok
	still_up SRV
}

@test "tcp-server serves others while a client connects and sends nothing" {
	start_watched SRV netdemo tcp-server -p 0
	hostile_bg IDLE tcp-idle --hold 60 -p "$SRV_PORT"
	wait_for_line "$IDLE_OUT" '^connected$'
	sixteen_ok
	# The idle client is still connected: the server did not wait for it.
	assert _nd_alive "$IDLE_PID"
	assert_equal "$(fd_count "$SRV_SPID")" $((SRV_FDS + 1))
	stop_server IDLE
	still_up SRV
}

@test "tcp-server serves others while a client sends 1 byte a second" {
	start_watched SRV netdemo tcp-server -p 0
	hostile_bg SLOW tcp-slow --bytes "$SLOW_BYTES" -p "$SRV_PORT"
	wait_for_line "$SLOW_OUT" '^connected$'
	sixteen_ok
	assert _nd_alive "$SLOW_PID"
	wait_for_line "$SRV_ERR" "only received $SLOW_BYTES bytes before the socket closed$" \
	    $((SLOW_BYTES + FD_WAIT))
	sixteen_ok
	still_up SRV
}

@test "tcp-server survives 1000 connections opened and abandoned at once" {
	start_watched SRV netdemo tcp-server -p 0
	run hostile tcp-swarm --count 1000 -p "$SRV_PORT"
	assert_success
	assert_output 'opened 1000 connections, 1000 connected, abandoned all'
	sixteen_ok
	still_up SRV
}

@test "tcp-server survives 1000 connections reset at once in upper mode" {
	start_watched SRV netdemo tcp-server --mode upper -p 0
	run hostile tcp-swarm --count 1000 --reset -p "$SRV_PORT"
	assert_success
	assert_output 'opened 1000 connections, 1000 connected, abandoned all'
	upper_ok
	still_up SRV
}

@test "tcp-client reset by its server exits 1 with ConnectionResetError, not SIGPIPE" {
	start_server SRV python3 "$HOSTILE" tcp-reset-server --bytes 1000 -p 0
	run bounded netdemo tcp-client 127.0.0.1 --mode upper -n 10000000 \
	    -p "$SRV_PORT"
	assert_failure 1
	assert_output --regexp "netdemo tcp-client: (send to|recv from) \\('127\\.0\\.0\\.1', $SRV_PORT\\): (ConnectionResetError: \\[Errno 104\\] Connection reset by peer|BrokenPipeError: \\[Errno 32\\] Broken pipe)"
}

# closed_stdout CMD...: run CMD -p 0 with its stdout through head -1 and
# stderr to a file; sets PORT from head's line and leaves the server's exit
# status in $BATS_TEST_TMPDIR/status once it ends.
closed_stdout() {
	local dir=$BATS_TEST_TMPDIR
	: >"$dir/head.out"
	start_bg CLOSED bash -c '"$@" 2>"$0/err" |
	    head -n 1 >"$0/head.out"; echo "${PIPESTATUS[0]}" >"$0/status"' \
	    "$dir" "$@" || return
	wait_for_line "$dir/head.out" "^Listening at \\('127\\.0\\.0\\.1', ([0-9]+)\\)$"
	PORT=${BASH_REMATCH[1]}
}

# wait_status: wait (FD_WAIT s) for closed_stdout's status file.
wait_status() {
	wait_for_line "$BATS_TEST_TMPDIR/status" '^[0-9]+$' "$FD_WAIT"
}

@test "udp-server whose stdout reader went away ends quietly with status 141" {
	closed_stdout netdemo udp-server -p 0
	# The first datagram's line meets the closed pipe; it still gets its
	# reply, since replies go out before the lines are written.
	run bounded netdemo udp-client -p "$PORT" -m 'anyone?'
	assert_success
	assert_line "The server says 'Your data was 7 bytes long'"
	for _ in 1 2 3; do
		[[ -s $BATS_TEST_TMPDIR/status ]] && break
		bounded netdemo udp-client -p "$PORT" -m again >/dev/null 2>&1 ||
		    true
	done
	wait_status
	assert_equal "$ND_LINE" 141
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output ''
}

@test "tcp-server whose stdout reader went away ends quietly with status 141" {
	closed_stdout netdemo tcp-server -p 0
	# The server writes its accept lines before it reads, so it ends
	# before it answers: this client may well get nothing.  What matters
	# is how the server ends.
	bounded netdemo tcp-client 127.0.0.1 -p "$PORT" >/dev/null 2>&1 || true
	wait_status
	assert_equal "$ND_LINE" 141
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output ''
}

@test "udp-server and tcp-server bind to loopback when no interface is named" {
	start_server U netdemo udp-server -p 0
	start_server T netdemo tcp-server -p 0
	assert_equal "$U_HOST" 127.0.0.1
	assert_equal "$T_HOST" 127.0.0.1
	run ss -Hlnu "sport = :$U_PORT"
	assert_output --regexp "127\\.0\\.0\\.1:$U_PORT "
	refute_output --regexp "(0\\.0\\.0\\.0|\\*|\\[::\\]):$U_PORT "
	run ss -Hlnt "sport = :$T_PORT"
	assert_output --regexp "127\\.0\\.0\\.1:$T_PORT "
	refute_output --regexp "(0\\.0\\.0\\.0|\\*|\\[::\\]):$T_PORT "
}

@test "udp_local server, the book's program, binds to 127.0.0.1 only" {
	start_server U udp_local server -p 0
	assert_equal "$U_HOST" 127.0.0.1
	run ss -Hlnu "sport = :$U_PORT"
	assert_output --regexp "127\\.0\\.0\\.1:$U_PORT "
}
