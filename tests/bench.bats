#!/usr/bin/env bats
# bench.bats: netdemo measures itself: udp-client --flood, tcp-client
# --repeat/--parallel, the rate at the end of upper mode, and make bench.
# Every test here floods or measures: the whole file runs serial (see
# Makefile).
# bats file_tags=serial

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

# jfield FILE KEY: the number KEY holds in FILE's summary event.
jfield() {
	sed -n "s/^{\"event\": \"summary\".*\"$2\": \([0-9.e+-]*\).*/\1/p" "$1"
}

# --------------------------------------------------------------- udp flood

@test "udp-client --flood prints replies per second, loss and round trips" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 0.3 --window 8
	assert_success
	assert_line --index 0 "Flooding ('127.0.0.1', $SRV_PORT) for 0.3 seconds, 8 datagrams in flight"
	assert_line --index 1 --regexp '^  [1-9][0-9]* replies/s from the book.s server: [1-9][0-9]* answered in 0\.3[0-9]* seconds$'
	assert_line --index 2 --regexp '^  0 of [1-9][0-9]* lost \(0\.0%\), [0-9]+ answered late, 0 still in flight \(not counted\)$'
	assert_line --index 3 --regexp '^  Round trip: p50 [0-9.]+ us, p99 [0-9.]+ us$'
	assert_equal "${#lines[@]}" 4
}

@test "udp-client --flood --json sums up with numbers that add up" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 0.5 --window 16 \
	    --json
	assert_success
	echo "$output" >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	local f=$BATS_TEST_TMPDIR/c.json sent replies late drained lost
	assert_line --index 0 --regexp '^\{"event": "flood", "to": \{"host": "127\.0\.0\.1", "port": [0-9]+\}, "seconds": 0\.5, "window": 16, "bytes": [0-9]+\}$'
	sent=$(jfield "$f" sent) replies=$(jfield "$f" replies)
	late=$(jfield "$f" late) lost=$(jfield "$f" lost)
	((replies > 100))
	assert_equal "$lost" 0
	# Every request is answered in the window, late, or in the drain.
	((sent >= replies + late && sent - replies - late <= 16))
	(($(jfield "$f" replies_per_s) * 1 > 0))
	# The server saw each of them: its lines count the same.
	stop_server SRV
	(($(grep -c '^The client at' "$SRV_OUT") == sent))
	awk -v a="$(jfield "$f" p50_us)" -v b="$(jfield "$f" p99_us)" \
	    'BEGIN { exit !(a > 0 && a <= b) }'
}

@test "udp-client --flood counts what a --drop server drops as lost" {
	start_json_server SRV netdemo udp-server -p 0 --drop 0.5 --seed 7 \
	    --json
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 1 --window 16 \
	    --json
	assert_success
	echo "$output" >"$BATS_TEST_TMPDIR/c.json"
	local lost sent dropped
	lost=$(jfield "$BATS_TEST_TMPDIR/c.json" lost)
	sent=$(jfield "$BATS_TEST_TMPDIR/c.json" sent)
	stop_server SRV
	dropped=$(jfield "$SRV_OUT" dropped)
	# Half, give or take; and each datagram the server dropped is one
	# the client counts lost (a few may still be on their way at the end).
	((lost * 10 > sent * 3 && lost * 10 < sent * 7))
	((lost >= dropped - 16 && lost <= dropped + 16))
	run jfield "$BATS_TEST_TMPDIR/c.json" loss
	assert_output --regexp '^[3-6][0-9](\.[0-9]+)?$'
}

@test "udp-client --flood with nobody listening is refused, exit 1" {
	port=$(free_port udp)
	run --separate-stderr bounded netdemo udp-client -p "$port" --flood 0.3
	assert_failure 1
	assert_equal "$(tail -n +1 <<<"$stderr" | head -1)" \
	    "netdemo udp-client: recv from ('127.0.0.1', $port): ConnectionRefusedError: [Errno 111] Connection refused"
}

@test "udp-client --flood against a silent server loses everything, exit 3" {
	start_server SRV peer udp-server -p 0 --silent
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 0.3 --window 4
	assert_failure 3
	assert_line --index 2 --regexp '^  ([1-9][0-9]*) of \1 lost \(100\.0%\), 0 answered late, 0 still in flight \(not counted\)$'
	assert_equal "$(head -1 <<<"$stderr")" \
	    "netdemo udp-client: no reply in 0.3 seconds: I think the server is down"
}

@test "udp-client --flood tells replies that are not the book's" {
	start_server SRV peer udp-server -p 0 --reply 'pong'
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 0.3 --window 1
	assert_failure 3
	assert_line --regexp '^  Odd replies, neither the book.s nor echoes: [1-9][0-9]*$'
}

@test "udp_remote client floods too, with the book's grammar" {
	start_server SRV udp_remote server 127.0.0.1 -p 0
	run bounded udp_remote client 127.0.0.1 -p "$SRV_PORT" --flood 0.3
	assert_success
	assert_line --index 0 "Flooding ('127.0.0.1', $SRV_PORT) for 0.3 seconds, 64 datagrams in flight"
}

# ------------------------------------------------------------- tcp repeat

@test "tcp-client --repeat --parallel makes that many exchanges" {
	start_json_server SRV netdemo tcp-server -p 0 -c 300 --json
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --repeat 300 \
	    --parallel 4 --report 0
	assert_success
	assert_line --index 0 "Connecting to ('127.0.0.1', $SRV_PORT) 300 times, 4 at a time"
	assert_line --index 1 --regexp '^  [1-9][0-9]* connections per second: 300 in [0-9.]+ seconds, 0 failed$'
	assert_line --index 2 --regexp '^  Connect to reply: p50 [0-9.]+ us, p99 [0-9.]+ us$'
	# -c 300: the server exits by itself once it has served them all.
	run timeout 5 tail --pid="$SRV_PID" -f /dev/null
	assert_success
	assert_equal "$(jfield "$SRV_OUT" served)" 300
	assert_equal "$(grep -c '"reason": "done"' "$SRV_OUT")" 300
}

@test "tcp-client --repeat --json sums up" {
	start_server SRV netdemo tcp-server -p 0
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --repeat 50 \
	    --json
	assert_success
	echo "$output" >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	assert_line --index 0 --regexp '^\{"event": "repeat", "to": \{"host": "127\.0\.0\.1", "port": [0-9]+\}, "count": 50, "parallel": 1\}$'
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" done)" 50
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" failed)" 0
}

@test "tcp-client --repeat with nobody listening is refused, exit 1" {
	port=$(free_port tcp)
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 -p "$port" \
	    --repeat 1000 --parallel 8
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" \
	    "netdemo tcp-client: connect to ('127.0.0.1', $port): ConnectionRefusedError: [Errno 111] Connection refused"
}

@test "tcp-client --repeat counts a wrong reply as a failure" {
	start_server SRV peer tcp-sixteen-server -p 0 --reply 'Goodbye, client!'
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 \
	    -p "$SRV_PORT" --repeat 3
	assert_failure 1
	assert_line --index 1 --regexp '^  0 connections per second: 0 in [0-9.]+ seconds, 1 failed$'
	assert_equal "$(head -1 <<<"$stderr")" \
	    "netdemo tcp-client: recv from ('127.0.0.1', $SRV_PORT): the reply was not b'Farewell, client'"
}

@test "tcp_sixteen client repeats too, with the book's grammar" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	run bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT" --repeat 20 \
	    --parallel 2
	assert_success
	assert_line --index 1 --regexp '^  [0-9]+ connections per second: 20 in'
}

# --------------------------------------------------------------- upper

@test "tcp-client in upper mode ends with the rate it streamed at" {
	start_server SRV netdemo tcp-server -p 0 --mode upper
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" -n 1000000 \
	    --full-duplex
	assert_success
	assert_line --index -1 --regexp '^  1000000 bytes back in [0-9.]+ seconds: [0-9.]+ MB/s$'
}

@test "tcp_deadlock client keeps the book's transcript: no rate line" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	run bounded tcp_deadlock client 127.0.0.1 1000000 -p "$SRV_PORT"
	assert_success
	assert_line --index -1 '  1000000 bytes received'
	refute_output --partial 'MB/s'
}

@test "tcp-client upper --json has the rate in its summary" {
	start_server SRV netdemo tcp-server -p 0 --mode upper
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" -n 160000 \
	    --full-duplex --json
	assert_success
	echo "$output" >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" received)" 160000
	run jfield "$BATS_TEST_TMPDIR/c.json" mb_per_s
	assert_output --regexp '^[0-9]+(\.[0-9]+)?$'
}

# ---------------------------------------------------------------- options

@test "--window, --parallel and --repeat refuse what is out of range" {
	usage_error "netdemo udp-client: error: argument --window: invalid int value: '0' (must be 1 to 1000)" \
	    netdemo udp-client --flood 1 --window 0
	usage_error "netdemo tcp-client: error: argument --parallel: invalid int value: '1001' (must be 1 to 1000)" \
	    netdemo tcp-client 127.0.0.1 --repeat 5 --parallel 1001
	usage_error "netdemo tcp-client: error: argument --repeat: invalid int value: '0' (must be 1 to 1000000000)" \
	    netdemo tcp-client 127.0.0.1 --repeat 0
}

@test "flood and repeat options that make no sense together are refused" {
	usage_error "netdemo udp-client: error: cannot use --window without --flood" \
	    netdemo udp-client --window 4
	usage_error "netdemo udp-client: error: cannot use --flood with --promiscuous" \
	    netdemo udp-client --flood 1 --promiscuous
	usage_error "netdemo udp-client: error: cannot use --flood with --broadcast" \
	    netdemo udp-client --flood 1 --broadcast
	usage_error "netdemo tcp-client: error: cannot use --parallel without --repeat" \
	    netdemo tcp-client 127.0.0.1 --parallel 4
	usage_error "netdemo tcp-client: error: cannot use --repeat with --mode upper" \
	    netdemo tcp-client 127.0.0.1 --repeat 4 --mode upper
}

# ------------------------------------------------------------- make bench

@test "make bench prints a row of figures for each test" {
	# A benchmark measures the plain build (make test runs this); under
	# make check a sanitized server once hung at exit past the bound.
	[[ -z ${ASAN_OPTIONS:-} ]] || skip "make bench measures the plain build"
	BENCH_SECS=0.3 BENCH_CONNS=400 BENCH_BYTES=2000000 ND_TIMEOUT=60 \
	    run bounded "$BATS_TEST_DIRNAME/bench.sh" "$NETDEMO"
	assert_success
	assert_line --index 0 --regexp '^netdemo bench: .* on 127\.0\.0\.1;'
	assert_line --regexp '^\| udp flood, 64 in flight, 0\.3 s +\| +[1-9][0-9]* replies/s \| +[0-9.]+ \| +[0-9.]+ \| +[0-9.]+ /reply \| +[0-9.]+ MiB \|$'
	assert_line --regexp '^\| udp ping-pong, 1 in flight, 1 s +\| +[1-9][0-9]* replies/s '
	assert_line --regexp '^\| tcp sixteen, 4 at a time, 400 +\| +[1-9][0-9]* conn/s '
	assert_line --regexp '^\| tcp sixteen, 1 at a time, 100 +\| +[1-9][0-9]* conn/s '
	assert_line --regexp '^\| tcp upper, full duplex, 2 MB +\| +[0-9.]+ MB/s \| +- \| +- \| +[0-9.]+ /KB '
}

# ------------------------------------------------------------- the servers

@test "tcp-server upper serves a stream while stuck clients hold every big buffer" {
	start_server SRV netdemo tcp-server -p 0 --mode upper
	local pids=() i
	# The book's half-duplex client with a large count: the server stops
	# reading from each once it cannot send back, holding what it read.
	for i in 1 2 3 4 5; do
		timeout -k 2 20 netdemo tcp-client 127.0.0.1 -n 100000000 --stall 15 \
		    -p "$SRV_PORT" >/dev/null 2>&1 3>&- &
		pids+=($!)
	done
	sleep 1
	# Every byte back upper-cased, checked by the independent peer.
	run peer tcp-upper-client -p "$SRV_PORT" -n 3000000
	kill "${pids[@]}" 2>/dev/null
	wait "${pids[@]}" 2>/dev/null || true
	assert_success
	assert_line 'received 3000000 bytes'
	assert_line 'matched: yes'
}
