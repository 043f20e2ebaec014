#!/usr/bin/env bats
# tcp-server: every option, its errors; many clients on one loop (idle and
# slow ones never delay others), the idle timeout, the cap on clients,
# backpressure; IPv6, link-local zones, names of both families.

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

teardown() {
	stop_servers
	ns_cleanup
}

LOCAL="\('127\.0\.0\.1', [0-9]+\)"

# ------------------------------------------------------------------ help

@test "tcp-server --help lists every option" {
	run bounded netdemo tcp-server --help
	assert_success
	assert_line --index 0 'usage: netdemo tcp-server [options] [INTERFACE]'
	for opt in '--mode {sixteen,upper}' '-c, --count N' '--idle SECS' \
	    '--max-clients N' '-I, --interface IFACE' '-p, --port PORT' '-4 ' '-6 ' '--json' \
	    '-q, --quiet' '-h, --help'; do
		assert_line --partial "  $opt"
	done
}

# --------------------------------------------------------- usage errors

@test "tcp-server rejects a bad --mode, --count, --idle or --max-clients" {
	usage_error "netdemo tcp-server: error: argument --mode: invalid choice: 'loud' (choose from 'sixteen', 'upper')" netdemo tcp-server --mode loud
	usage_error "netdemo tcp-server: error: argument -c/--count: invalid int value: '0' (must be 1 to 9007199254740991)" netdemo tcp-server -c 0
	usage_error "netdemo tcp-server: error: argument --idle: invalid seconds value: '-1' (must be 0 to 86400 seconds)" netdemo tcp-server --idle -1
	usage_error "netdemo tcp-server: error: argument --idle: invalid seconds value: 'soon'" netdemo tcp-server --idle soon
	usage_error "netdemo tcp-server: error: argument --max-clients: invalid int value: '0' (must be 1 to 1000000)" netdemo tcp-server --max-clients 0
	usage_error "netdemo tcp-server: error: unrecognized arguments: extra" netdemo tcp-server 127.0.0.1 extra
	usage_error 'netdemo tcp-server: error: cannot use -4 with -6' netdemo tcp-server -4 -6
	usage_error "netdemo tcp-server: error: argument -I/--interface: no such interface: 'nd-no-such0'" netdemo tcp-server -I nd-no-such0
}

@test "tcp-server -6 with an IPv4 address, or -4 with an IPv6 one, is a usage error" {
	usage_error "netdemo tcp-server: error: cannot use -6 with the IPv4 address '127.0.0.1'" netdemo tcp-server -6 127.0.0.1
	usage_error "netdemo tcp-server: error: cannot use -4 with the IPv6 address '::1'" netdemo tcp-server -4 ::1
	usage_error "tcp_sixteen: error: cannot use -6 with the IPv4 address '0.0.0.0'" tcp_sixteen server 0.0.0.0 -6
}

# ------------------------------------------------------------ the basics

@test "tcp-server prints the book's sixteen-octet lines on 127.0.0.1" {
	start_server SRV netdemo tcp-server -p 0
	assert_equal "$SRV_HOST" 127.0.0.1
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	assert_output "b'Farewell, client'"
	wait_for_line "$SRV_OUT" '^  Reply sent, socket closed$'
	run cat "$SRV_OUT"
	assert_line --index 1 'Waiting to accept a new connection'
	assert_line --index 2 --regexp "^We have accepted a connection from $LOCAL$"
	assert_line --index 3 "  Socket name: ('127.0.0.1', $SRV_PORT)"
	assert_line --index 5 "  Incoming sixteen-octet message: b'Hi there, server'"
	assert_line --index 6 '  Reply sent, socket closed'
	assert_line --index 7 'Waiting to accept a new connection'
}

@test "tcp-server --mode upper echoes upper case, whatever the size" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	run peer tcp-upper-client -p "$SRV_PORT" -n 3000000
	assert_success
	assert_line 'matched: yes'
	wait_for_line "$SRV_OUT" '^  3000000 bytes processed so far$'
	wait_for_line "$SRV_OUT" '^  Socket closed$'
}

@test "tcp-server -c exits 0 after N connections" {
	start_server SRV netdemo tcp-server -p 0 -c 2
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	_nd_reap 5 "$SRV_PID"
	status=0
	wait "$SRV_PID" || status=$?
	assert_equal "$status" 0
}

@test "tcp-server -c 3 serves exactly 3 of 10 clients that connect at once" {
	start_server SRV netdemo tcp-server -p 0 -c 3
	# Stopped, the server lets the kernel take all ten handshakes and
	# messages into its queue: one burst, whatever the machine's load.
	srv=$(pgrep -P "$SRV_PID")
	kill -STOP "$srv"
	run timeout -k 2 20 python3 - "$SRV_PORT" "$srv" <<'PY'
import os, signal, socket, sys, time
port, srv = int(sys.argv[1]), int(sys.argv[2])
socks = [socket.create_connection(('127.0.0.1', port)) for _ in range(10)]
for s in socks:
    s.sendall(b'Hi there, server')
time.sleep(0.2)
os.kill(srv, signal.SIGCONT)
served = refused = 0
for s in socks:
    s.settimeout(10)
    try:
        data = s.recv(16)
    except ConnectionResetError:
        data = b''
    if data == b'Farewell, client':
        served += 1
    else:
        refused += 1
print('served %d, not served %d' % (served, refused))
PY
	assert_success
	assert_output 'served 3, not served 7'
	_nd_reap 5 "$SRV_PID"
	status=0
	wait "$SRV_PID" || status=$?
	assert_equal "$status" 0
	run grep -c '^  Reply sent, socket closed$' "$SRV_OUT"
	assert_output 3
}

@test "tcp-server -q prints nothing and still serves" {
	port=$(free_port tcp)
	timeout -k 2 20 "$NETDEMO" tcp-server -q -p "$port" -c 1 >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	for _ in $(seq 100); do
		peer tcp-sixteen-client -p "$port" >"$BATS_TEST_TMPDIR/c" 2>/dev/null && break
		sleep 0.05
	done
	run cat "$BATS_TEST_TMPDIR/c"
	assert_output "b'Farewell, client'"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output ''
}

# --------------------------------------------------------- many clients

# Twenty clients started one after another within 5 s: serial (see
# Makefile).
# bats test_tags=serial
@test "tcp-server serves 20 clients while an idle one is held open" {
	start_server SRV netdemo tcp-server -p 0
	hold_tcp HOLD "$SRV_PORT"
	SECONDS=0
	for i in $(seq 20); do
		run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
		assert_success
		assert_line --index 1 "The server said b'Farewell, client'"
	done
	assert [ "$SECONDS" -le 5 ]
	run grep -c '^  Reply sent, socket closed$' "$SRV_OUT"
	assert_output 20
	# The idle client is still connected, and is served when it speaks.
	run ss -Htn state established "( sport = :$SRV_PORT and dport = :$HOLD_PORT )"
	assert_output --partial "127.0.0.1:$HOLD_PORT"
}

@test "tcp-server serves others while a slow client sends a byte at a time" {
	start_server SRV netdemo tcp-server -p 0
	timeout -k 2 20 python3 - "$SRV_PORT" >"$BATS_TEST_TMPDIR/slow" 3>&- <<'PY' &
import socket, sys, time
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
for b in b'Hi there, server':
    s.send(bytes([b]))
    time.sleep(0.2)
print(s.recv(16))
PY
	slow=$!
	sleep 0.3
	for i in 1 2 3 4 5; do
		run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
		assert_success
	done
	# Five served while the slow one is still spelling its message.
	assert _nd_alive "$slow"
	wait "$slow"
	run cat "$BATS_TEST_TMPDIR/slow"
	assert_output "b'Farewell, client'"
}

@test "tcp-server --idle closes a silent client with a log line" {
	start_json_server SRV netdemo tcp-server -p 0 --idle 1 --json
	hold_tcp HOLD "$SRV_PORT"
	SECONDS=0
	wait_for_line "$SRV_OUT" '"event": "close".*"reason": "idle"' 4
	assert [ "$SECONDS" -le 3 ]
	assert_equal "$ND_LINE" "{\"event\": \"close\", \"peer\": {\"host\": \"127.0.0.1\", \"port\": $HOLD_PORT}, \"bytes\": 0, \"reason\": \"idle\"}"
	wait_for_line "$SRV_ERR" "^netdemo tcp-server: closed the connection from \('127\.0\.0\.1', $HOLD_PORT\): idle for 1 second \(see --idle\)$"
	run ss -Htn state established "( sport = :$SRV_PORT )"
	assert_output ''
}

@test "tcp-server --idle 0 keeps a silent client for ever" {
	start_server SRV netdemo tcp-server -p 0 --idle 0
	hold_tcp HOLD "$SRV_PORT"
	sleep 2.2
	run ss -Htn state established "( sport = :$SRV_PORT and dport = :$HOLD_PORT )"
	assert_output --partial "127.0.0.1:$HOLD_PORT"
	run cat "$SRV_ERR"
	assert_output ''
}

@test "tcp-server --max-clients accepts and closes one client too many, with a log line" {
	start_server SRV netdemo tcp-server -p 0 --max-clients 2
	hold_tcp HOLD2 "$SRV_PORT"
	hold_tcp HOLD "$SRV_PORT"
	# The third is accepted and closed at once: EOF, never a hang.
	SECONDS=0
	run timeout -k 2 5 python3 -c '
import socket, sys
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
s.settimeout(3)
print(s.getsockname()[1], repr(s.recv(16)))' "$SRV_PORT"
	assert_success
	assert [ "$SECONDS" -le 2 ]
	third=${output%% *}
	assert_equal "${output#* }" "b''"
	wait_for_line "$SRV_ERR" "^netdemo tcp-server: too many clients \(--max-clients 2\): closed the connection from \('127\.0\.0\.1', $third\)$"
	# Once one leaves, a new client is served.
	stop_server HOLD
	wait_for_line "$SRV_OUT" "EOFError|Socket closed"
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 "The server said b'Farewell, client'"
}

@test "tcp-server past the open-files limit closes new clients at once, with a hint" {
	port=$(free_port tcp)
	(ulimit -n 16 && exec timeout -k 2 20 "$NETDEMO" tcp-server -p "$port" --max-clients 100) \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '^Listening at'
	run timeout -k 2 10 python3 - "$port" <<'PY'
import socket, sys, time
socks = [socket.create_connection(('127.0.0.1', int(sys.argv[1])))
         for _ in range(20)]
time.sleep(0.5)
closed = 0
for s in socks:
    s.setblocking(False)
    try:
        closed += s.recv(1) == b''
    except BlockingIOError:
        pass
print(closed)
PY
	# 16 descriptors: stdio, the listener, epoll, the spare, and the rest
	# for clients; the others were accepted and closed, none left hanging.
	assert [ "$output" -ge 5 ]
	assert [ "$output" -le 15 ]
	refused=$output
	run grep -c '^netdemo tcp-server: accept a connection: OSError: \[Errno 24\] Too many open files$' "$BATS_TEST_TMPDIR/err"
	assert_output "$refused"
	grep -q '^netdemo tcp-server: hint: raise the limit with ulimit -n$' "$BATS_TEST_TMPDIR/err"
	assert _nd_alive "$pid"
	kill "$pid"
	wait "$pid" || true
}

# Reads the queues after fixed pauses: serial (see Makefile).
# bats test_tags=serial
@test "tcp-server stops reading a client that does not read, and serves others" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	# The book's deadlock: a client that sends without reading.
	bounded netdemo tcp-client 127.0.0.1 -n 1073741824 --stall 0 -p "$SRV_PORT" \
	    >/dev/null 2>&1 3>&- &
	hog=$!
	sleep 1
	# It stopped reading once it could not send: what the client sent
	# waits unread in the server's receive queue, what it owes the client
	# in its send queue, and neither moves.
	run ss -Htn state established "( sport = :$SRV_PORT )"
	read -r recvq sendq _ <<<"$output"
	assert [ "$recvq" -gt 0 ]
	assert [ "$sendq" -gt 0 ]
	sleep 0.5
	run ss -Htn state established "( sport = :$SRV_PORT )"
	assert_equal "$(awk '{print $1, $2}' <<<"$output")" "$recvq $sendq"
	run peer tcp-upper-client -p "$SRV_PORT" -n 100000
	assert_success
	assert_line 'matched: yes'
	assert _nd_alive "$hog"
	kill "$hog"
	wait "$hog" || true
}

@test "tcp-server ends with a summary event on SIGINT" {
	start_json_server SRV netdemo tcp-server -p 0 --json
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	wait_for_line "$SRV_OUT" '"event": "close"'
	stop_server SRV INT
	assert_equal "$SRV_STATUS" 130
	run tail -1 "$SRV_OUT"
	assert_output '{"event": "summary", "accepted": 1, "served": 1, "overflowed": 0, "idle": 0, "bytes": 16, "status": 130}'
}

@test "tcp-server survives a client that resets mid-message" {
	start_server SRV netdemo tcp-server -p 0
	timeout -k 2 5 python3 - "$SRV_PORT" <<'PY'
import socket, struct, sys
s = socket.create_connection(('127.0.0.1', int(sys.argv[1])))
s.send(b'Hi th')
# SO_LINGER 0: close() sends a reset instead of a FIN.
s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
s.close()
PY
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert _nd_alive "$SRV_PID"
}

# ------------------------------------------------------------------ IPv6

@test "tcp-server -6 and ::1 serve IPv6 clients" {
	start_server SRV netdemo tcp-server -6 -p 0
	assert_equal "$(head -1 "$SRV_OUT")" "Listening at ('::1', $SRV_PORT, 0, 0)"
	run peer tcp-sixteen-client --host ::1 -p "$SRV_PORT"
	assert_success
	assert_output "b'Farewell, client'"
	wait_for_line "$SRV_OUT" "^We have accepted a connection from \('::1', [0-9]+, 0, 0\)$"
	start_server SRV2 netdemo tcp-server ::1 --mode upper -p 0
	run peer tcp-upper-client --host ::1 -p "$SRV2_PORT" -n 1000
	assert_line 'matched: yes'
}

@test "tcp-server listens on a link-local address through its zone" {
	ns_need
	ns_add "nd-ts-$$"
	ns_add "nd-ts2-$$"
	ns_veth "nd-ts-$$" fe80::1/64 "nd-ts2-$$" fe80::2/64
	ip netns exec "nd-ts2-$$" timeout -k 2 20 "$NETDEMO" tcp-server 'fe80::2%v1' -p 7000 -c 1 \
	    >"$BATS_TEST_TMPDIR/out" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '^Listening'
	assert_equal "$ND_LINE" "Listening at ('fe80::2%v1', 7000, 0, $(ip netns exec "nd-ts2-$$" cat /sys/class/net/v1/ifindex))"
	run ip netns exec "nd-ts-$$" timeout -k 2 5 "$NETDEMO" tcp-client 'fe80::2%v0' -p 7000
	assert_success
	assert_line --index 1 "The server said b'Farewell, client'"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 2 --regexp "^We have accepted a connection from \('fe80::[0-9a-f:]+%v1', [0-9]+, 0, [0-9]+\)$"
}

@test "tcp-server listens on every address of a name, on one port" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	printf '::1 dual.test\n127.0.0.1 dual.test\n' >"$BATS_TEST_TMPDIR/hosts"
	run with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 10 bash -c '
		: >"$1"
		"$0" tcp-server dual.test -p 0 -c 2 >"$1" 3>&- &
		for i in $(seq 100); do [[ $(wc -l <"$1") -ge 2 ]] && break; sleep 0.05; done
		port=$(sed -n "2s/.*, \([0-9]*\))$/\1/p" "$1")
		"$0" tcp-client -6 dual.test -p "$port" &&
		"$0" tcp-client -4 dual.test -p "$port" && wait' \
	    "$NETDEMO" "$BATS_TEST_TMPDIR/out"
	assert_success
	assert_line --index 0 --regexp "^Client has been assigned socket name \('::1', [0-9]+, 0, 0\)$"
	assert_line --index 2 --regexp "^Client has been assigned socket name $LOCAL$"
	run cat "$BATS_TEST_TMPDIR/out"
	port=$(sed -n "2s/.*, \([0-9]*\))$/\1/p" <<<"$output")
	assert_line --index 0 "Listening at ('::1', $port, 0, 0)"
	assert_line --index 1 "Listening at ('127.0.0.1', $port)"
}
