#!/usr/bin/env bats
# tcp-client: every option, its errors and conflicts; the stall explained
# (exit 3 within SECS + 2 s); --full-duplex completes any size; IPv6, zones,
# names of both families.

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

# mute_server: a socket that accepts (the kernel does) and never reads or
# writes; sets MUTE_PORT and MUTE_PID (start_bg MUTE).
mute_server() {
	start_bg MUTE python3 -c '
import socket, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(8)
print(s.getsockname()[1], flush=True)
time.sleep(60)' || return
	wait_for_line "$MUTE_OUT" '^[0-9]+$' || return
	MUTE_PORT=$ND_LINE
}

# ------------------------------------------------------------------ help

@test "tcp-client --help lists every option" {
	run bounded netdemo tcp-client --help
	assert_success
	assert_line --index 0 'usage: netdemo tcp-client [options] HOST [BYTES]'
	for opt in '--mode {sixteen,upper,connect}' '-n, --bytes N' \
	    '--full-duplex' '--stall SECS' '--repeat N' '--parallel C' \
	    '-i, --interval SECS' '--report SECS' '-s, --source ADDR' \
	    '-I, --interface IFACE' '--tos N' '--ttl N' '-p, --port PORT' \
	    '-4 ' '-6 ' '--json' '-q, --quiet' '-h, --help'; do
		assert_line --partial "  $opt"
	done
}

# --------------------------------------------------------- usage errors

@test "tcp-client rejects a bad --bytes, BYTES, --stall, --mode or port" {
	usage_error "netdemo tcp-client: error: the following arguments are required: HOST" netdemo tcp-client
	usage_error "netdemo tcp-client: error: argument -n/--bytes: invalid int value: '-1' (must be 0 to 1000000000000000)" netdemo tcp-client 127.0.0.1 -n -1
	usage_error "netdemo tcp-client: error: argument -n/--bytes: invalid int value: 'lots'" netdemo tcp-client 127.0.0.1 -n lots
	usage_error "netdemo tcp-client: error: argument bytecount: invalid int value: 'lots'" netdemo tcp-client 127.0.0.1 lots
	usage_error "netdemo tcp-client: error: argument --stall: invalid seconds value: '-2' (must be 0 to 86400 seconds)" netdemo tcp-client 127.0.0.1 --stall -2
	usage_error "netdemo tcp-client: error: argument --mode: invalid choice: 'lower' (choose from 'sixteen', 'upper', 'connect')" netdemo tcp-client 127.0.0.1 --mode lower
	usage_error "netdemo tcp-client: error: argument -p/--port: a client needs a port from 1 to 65535" netdemo tcp-client 127.0.0.1 -p 0
}

@test "tcp-client says which options conflict" {
	usage_error 'netdemo tcp-client: error: cannot use -n/--bytes with --mode sixteen' netdemo tcp-client 127.0.0.1 --mode sixteen -n 32
	usage_error 'netdemo tcp-client: error: cannot use -n/--bytes with --mode sixteen' netdemo tcp-client 127.0.0.1 32 --mode sixteen
	usage_error 'netdemo tcp-client: error: cannot use --full-duplex with --mode sixteen' netdemo tcp-client 127.0.0.1 --mode sixteen --full-duplex
	usage_error 'netdemo tcp-client: error: cannot use -n/--bytes with a BYTES operand' netdemo tcp-client 127.0.0.1 32 -n 64
	usage_error 'netdemo tcp-client: error: cannot use -4 with -6' netdemo tcp-client 127.0.0.1 -4 -6
}

# ------------------------------------------------------------ the basics

@test "tcp-client makes the sixteen-octet exchange by default" {
	start_server SRV peer tcp-sixteen-server -p 0 --count 1
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^Client has been assigned socket name $LOCAL$"
	assert_line --index 1 "The server said b'Farewell, client'"
	assert_equal "${#lines[@]}" 2
	wait_for_line "$SRV_OUT" "^b'Hi there, server'$"
}

@test "tcp-client -n and a BYTES operand choose upper and round up to 16" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	run bounded netdemo tcp-client 127.0.0.1 -n 20 -p "$SRV_PORT"
	assert_success
	assert_output "Sending 32 bytes of data, in chunks of 16 bytes
  32 bytes sent
Receiving all the data the server sends back
  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!'
  32 bytes received"
	run bounded netdemo tcp-client 127.0.0.1 48 -p "$SRV_PORT"
	assert_success
	assert_line --index 4 '  48 bytes received'
	run bounded netdemo tcp-client 127.0.0.1 --mode upper -p "$SRV_PORT"
	assert_line --index 0 'Sending 16 bytes of data, in chunks of 16 bytes'
	run bounded netdemo tcp-client 127.0.0.1 -n 0 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 'Sending 0 bytes of data, in chunks of 16 bytes'
	assert_line --index 3 "  The first data received says b''"
}

# --------------------------------------------------------------- --stall

@test "tcp-client --stall explains the deadlock and exits 3 within SECS + 2 s" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	SECONDS=0
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 -n 1073741824 --stall 1 -p "$SRV_PORT"
	assert_failure 3
	assert [ "$SECONDS" -le 3 ]
	assert_line --index 0 'Sending 1073741824 bytes of data, in chunks of 16 bytes'
	sent=$(sed -n 's/^  \([0-9]*\) bytes sent$/\1/p' <<<"$output")
	assert [ "$sent" -gt 0 ]
	assert [ "$sent" -lt 1073741824 ]
	run cat <<<"$stderr"
	assert_line --index 0 --regexp "^netdemo tcp-client: no progress for 1 second: sent $sent of 1073741824 bytes, received 0; [1-9][0-9]* bytes wait in our send buffer, [1-9][0-9]* unread in our receive buffer$"
	assert_line --index 1 "netdemo tcp-client: gave up after 1 second without progress from ('127.0.0.1', $SRV_PORT) (see --stall)"
	assert_line --index 2 "netdemo tcp-client: hint: both buffers are full, the book's deadlock: we do not read while we send, and the server stops reading while it cannot send back; --full-duplex reads while it sends"
	assert_equal "${#lines[@]}" 3
}

@test "tcp-client --stall tells a server that does not read from the deadlock" {
	mute_server
	SECONDS=0
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 -n 100000000 --stall 1 -p "$MUTE_PORT"
	assert_failure 3
	assert [ "$SECONDS" -le 3 ]
	run cat <<<"$stderr"
	assert_line --index 0 --regexp "^netdemo tcp-client: no progress for 1 second: sent [0-9]+ of 100000000 bytes, received 0; [1-9][0-9]* bytes wait in our send buffer, 0 unread in our receive buffer$"
	assert_line --index 1 "netdemo tcp-client: gave up after 1 second without progress from ('127.0.0.1', $MUTE_PORT) (see --stall)"
	assert_line --index 2 'netdemo tcp-client: hint: the server stopped reading, and sends nothing back'
}

@test "tcp-client --stall gives up on a silent sixteen-octet server" {
	mute_server
	SECONDS=0
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 --stall 0.5 -p "$MUTE_PORT"
	assert_failure 3
	assert [ "$SECONDS" -le 2 ]
	assert_equal "$stderr" "netdemo tcp-client: no reply from ('127.0.0.1', $MUTE_PORT) in 0.5 seconds (see --stall)
netdemo tcp-client: hint: the server took the message and sent nothing back"
}

@test "tcp-client gives up after 5 s by default in its native form" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	SECONDS=0
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 -n 1073741824 -p "$SRV_PORT"
	assert_failure 3
	assert [ "$SECONDS" -ge 5 ]
	assert [ "$SECONDS" -le 7 ]
	assert_equal "$(head -1 <<<"$stderr" | cut -d: -f2)" ' no progress for 5 seconds'
}

@test "tcp_deadlock client waits for ever unless --stall is given" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	timeout --foreground -k "$ND_STOP_TIMEOUT" 20 tcp_deadlock client 127.0.0.1 1073741824 -p "$SRV_PORT" \
	    >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	cpid=$!
	sleep 6
	assert _nd_alive "$cpid"
	kill -TERM "$cpid"
	status=0
	wait "$cpid" || status=$?
	assert_equal "$status" 143
}

@test "tcp-client --stall 0 waits for ever" {
	mute_server
	timeout --foreground -k "$ND_STOP_TIMEOUT" 20 "$NETDEMO" tcp-client 127.0.0.1 --stall 0 -p "$MUTE_PORT" \
	    >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	cpid=$!
	sleep 2
	assert _nd_alive "$cpid"
	kill -INT "$cpid"
	status=0
	wait "$cpid" || status=$?
	assert_equal "$status" 130
}

# ---------------------------------------------------------- --full-duplex

@test "tcp-client --full-duplex completes 256 MiB against the upper server" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	SECONDS=0
	run --separate-stderr timeout -k 2 60 "$NETDEMO" tcp-client 127.0.0.1 -n 268435456 --full-duplex --stall 5 --report 0 -p "$SRV_PORT"
	assert_success
	echo "256 MiB full duplex in ${SECONDS} s" >&3
	assert_line --index 1 '  268435456 bytes sent'
	assert_line --index 3 "  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!CAPITALIZE'"
	assert_line --index 4 '  268435456 bytes received'
	wait_for_line "$SRV_OUT" '^  268435456 bytes processed so far$'
}

@test "tcp-client --full-duplex completes against an independent server" {
	start_server SRV peer tcp-upper-server -p 0 --count 1
	run bounded netdemo tcp-client 127.0.0.1 -n 5000000 --full-duplex -p "$SRV_PORT"
	assert_success
	assert_line --index 4 '  5000000 bytes received'
	wait_for_line "$SRV_OUT" '^Processed 5000000 bytes from'
}

# ------------------------------------------------------------------ IPv6

@test "tcp-client talks to ::1, and -6 keeps it to IPv6" {
	start_server SRV netdemo tcp-server -6 -p 0
	run bounded netdemo tcp-client ::1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^Client has been assigned socket name \('::1', [0-9]+, 0, 0\)$"
	assert_line --index 1 "The server said b'Farewell, client'"
	start_server SRV2 netdemo tcp-server ::1 --mode upper -p 0
	run bounded netdemo tcp-client -6 ::1 -n 64 -p "$SRV2_PORT"
	assert_success
	assert_line --index 4 '  64 bytes received'
}

@test "tcp-client -6 with an IPv4 address, or -4 with an IPv6 one, is a usage error" {
	usage_error "netdemo tcp-client: error: cannot use -6 with the IPv4 address '127.0.0.1'" netdemo tcp-client -6 127.0.0.1
	usage_error "netdemo tcp-client: error: cannot use -4 with the IPv6 address '::1'" netdemo tcp-client -4 ::1
	usage_error "netdemo tcp-client: error: cannot use -4 with the IPv6 address 'fe80::1%lo'" netdemo tcp-client -4 'fe80::1%lo' --mode connect
	usage_error "netdemo tcp-client: error: cannot use -6 with the IPv4 source '127.0.0.1'" netdemo tcp-client -6 localhost -s 127.0.0.1
	usage_error "netdemo tcp-client: error: cannot use the source '::1' with '127.0.0.1': not the same address family" netdemo tcp-client 127.0.0.1 -s ::1
}

@test "tcp-client tries the next address of a name when one refuses, and says so" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	start_server SRV netdemo tcp-server 127.0.0.1 -p 0
	printf '::1 dual.test\n127.0.0.1 dual.test\n' >"$BATS_TEST_TMPDIR/hosts"
	run --separate-stderr with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 5 "$NETDEMO" tcp-client dual.test -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^Client has been assigned socket name $LOCAL$"
	assert_line --index 1 "The server said b'Farewell, client'"
	assert_equal "$stderr" "netdemo tcp-client: connect to ('::1', $SRV_PORT, 0, 0): ConnectionRefusedError: [Errno 111] Connection refused
netdemo tcp-client: hint: trying the next address of 'dual.test': ('127.0.0.1', $SRV_PORT)"
}

@test "tcp-client reaches a link-local address through its zone" {
	ns_need
	ns_add "nd-tc-$$"
	ns_add "nd-tc2-$$"
	ns_veth "nd-tc-$$" fe80::1/64 "nd-tc2-$$" fe80::2/64
	ip netns exec "nd-tc2-$$" timeout -k 2 20 "$NETDEMO" tcp-server 'fe80::2%v1' --mode upper -p 7000 -c 1 \
	    >"$BATS_TEST_TMPDIR/out" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '^Listening'
	run ip netns exec "nd-tc-$$" timeout -k 2 10 "$NETDEMO" tcp-client 'fe80::2%v0' -n 100000 --full-duplex -p 7000
	assert_success
	assert_line --index 4 '  100000 bytes received'
	wait "$pid"
}

# ---------------------------------------------------- --mode connect, -i

@test "tcp-client --mode connect, -i and --report refuse what makes no sense" {
	usage_error 'netdemo tcp-client: error: cannot use -n/--bytes with --mode connect' netdemo tcp-client 127.0.0.1 --mode connect -n 32
	usage_error 'netdemo tcp-client: error: cannot use --full-duplex with --mode connect' netdemo tcp-client 127.0.0.1 --mode connect --full-duplex
	usage_error 'netdemo tcp-client: error: cannot use -i/--interval without --repeat' netdemo tcp-client 127.0.0.1 --mode connect -i 1
	usage_error "netdemo tcp-client: error: argument -i/--interval: invalid seconds value: '0' (must be 0.01 to 3600 seconds)" netdemo tcp-client 127.0.0.1 --repeat 2 -i 0
	usage_error "netdemo tcp-client: error: argument --report: invalid seconds value: '-1' (must be 0 to 3600 seconds)" netdemo tcp-client 127.0.0.1 --report -1
}

@test "tcp-client --mode connect --repeat 1 says 1 time, and times the handshake" {
	start_server SRV netdemo tcp-server -p 0
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --mode connect --repeat 1
	assert_success
	assert_line --index 0 "Connecting to ('127.0.0.1', $SRV_PORT) 1 time, 1 at a time"
	assert_line --index 2 --regexp '^  Handshake: p50 [0-9.]+ us, p99 [0-9.]+ us$'
	# -i in the sixteen-octet exchange: a line each, timed to the reply.
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --repeat 2 -i 0.1
	assert_success
	assert_line --index 1 --regexp "^  seq 1: from $LOCAL, the reply in [0-9.]+ us$"
	assert_line --index 2 --regexp "^  seq 2: from $LOCAL, the reply in [0-9.]+ us$"
	assert_line --index 4 --regexp '^  Connect to reply: p50 [0-9.]+ us, p99 [0-9.]+ us$'
}

# ------------------------------------------------------------ live reports

@test "tcp-client --repeat reports each second: interval events in a 3-second run" {
	start_server SRV netdemo tcp-server -p 0
	out=$BATS_TEST_TMPDIR/c.json
	SECONDS=0
	bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --mode connect --repeat 30 -i 0.1 --json >"$out"
	assert [ "$SECONDS" -ge 2 ]
	run json_check "$out"
	assert_success
	run grep -c '"event": "connection"' "$out"
	assert_output 30
	n=$(grep -c '"event": "interval"' "$out")
	assert [ "$n" -ge 2 ]
	assert [ "$n" -le 4 ]
	assert_equal "$(grep -m1 '"event": "interval"' "$out" | cut -d, -f2-3)" ' "start": 0.0, "end": 1.0'
	# In text, a line each; --report 0 leaves only the end.
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --mode connect --repeat 12 -i 0.1
	assert_success
	assert_line --regexp '^  0\.0-1\.0 s: [0-9]+ connections/s, 0 failed, p50 [0-9.]+ us, p99 [0-9.]+ us$'
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --mode connect --repeat 12 -i 0.1 --report 0
	assert_success
	refute_line --partial ' s: '
	# An interval as long as -i adds nothing to the lines: none.
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --mode connect --repeat 3 -i 0.6 --report 0.5
	assert_success
	assert_equal "${#lines[@]}" 6
}

# interrupt_after SECS CMD...: CMD in the background, SIGINT after SECS;
# its stdout in $BATS_TEST_TMPDIR/c.out, its status in $status.
interrupt_after() {
	local secs=$1 pid
	shift
	timeout --foreground -k "$ND_STOP_TIMEOUT" 30 "$@" >"$BATS_TEST_TMPDIR/c.out" 2>"$BATS_TEST_TMPDIR/c.err" 3>&- &
	pid=$!
	sleep "$secs"
	kill -INT "$pid"
	status=0
	wait "$pid" || status=$?
}

@test "tcp-client --full-duplex reports every --report seconds, and Ctrl-C prints the totals" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	# Three intervals of 0.3 s: a stream at full speed costs two cores.
	interrupt_after 1.0 "$NETDEMO" tcp-client 127.0.0.1 -p "$SRV_PORT" -n 1000000000000 --full-duplex --report 0.3 --json
	assert_equal "$status" 130
	run json_check "$BATS_TEST_TMPDIR/c.out"
	assert_success
	n=$(grep -c '"event": "interval"' "$BATS_TEST_TMPDIR/c.out")
	assert [ "$n" -ge 2 ]
	assert [ "$n" -le 4 ]
	run tail -1 "$BATS_TEST_TMPDIR/c.out"
	assert_output --regexp '^\{"event": "summary", "received": [1-9][0-9]*, "seconds": [0-9.]+, "mb_per_s": [0-9.]+, "sent": [1-9][0-9]*\}$'
}

@test "tcp_deadlock client prints no interval lines, and its totals on Ctrl-C" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	interrupt_after 1.2 tcp_deadlock client 127.0.0.1 1000000000000 --full-duplex -p "$SRV_PORT"
	assert_equal "$status" 130
	run cat "$BATS_TEST_TMPDIR/c.out"
	assert_line --index 0 'Sending 1000000000000 bytes of data, in chunks of 16 bytes'
	assert_line --index 1 --regexp '^  [1-9][0-9]* bytes sent$'
	assert_line --index 2 --regexp '^  [1-9][0-9]* bytes back in [0-9.]+ seconds: [0-9.]+ MB/s$'
	assert_equal "${#lines[@]}" 3
}

@test "tcp-client in upper mode prints the totals on Ctrl-C, stuck in the book's deadlock" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	interrupt_after 1.5 "$NETDEMO" tcp-client 127.0.0.1 -n 1073741824 --stall 0 -p "$SRV_PORT"
	assert_equal "$status" 130
	run cat "$BATS_TEST_TMPDIR/c.out"
	assert_line --index 0 'Sending 1073741824 bytes of data, in chunks of 16 bytes'
	assert_line --index 1 --regexp '^  [1-9][0-9]* bytes sent$'
	assert_line --index 2 --regexp '^  0 bytes back in [0-9.]+ seconds: 0\.0 MB/s$'
	assert_equal "${#lines[@]}" 3
}

# ------------------------------------------- servers that stop halfway

@test "tcp-client --stall bounds a reply that stops halfway, and says how far it got" {
	start_server SRV peer tcp-sixteen-server -p 0 --count 2 --close-after 5 --keep-open
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --stall 1
	assert_failure 3
	assert_equal "$stderr" "netdemo tcp-client: no whole reply from ('127.0.0.1', $SRV_PORT) in 1 second (see --stall)
netdemo tcp-client: hint: the reply stopped after 5 of its 16 bytes"
	run --separate-stderr bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --stall 1 --repeat 1
	assert_failure 3
	assert_equal "${stderr##*$'\n'}" "netdemo tcp-client: hint: the reply stopped after 5 of its 16 bytes"
}

@test "tcp-client --repeat counts a reply whose server keeps the connection open" {
	start_server SRV peer tcp-sixteen-server -p 0 --count 2 --keep-open
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT" --stall 0.5 --repeat 2 --report 0
	assert_success
	assert_line --regexp '^  [0-9]+ connections? per second: 2 in [0-9.]+ seconds, 0 failed$'
}

@test "tcp-client --full-duplex sends it all when the server ends its side early" {
	start_server SRV peer tcp-upper-server -p 0 --count 1 --stop-after 32
	run bounded netdemo tcp-client 127.0.0.1 -n 2000000 --full-duplex -p "$SRV_PORT"
	assert_success
	assert_line '  2000000 bytes sent'
	assert_line '  32 bytes received'
	wait_for_line "$SRV_OUT" '^Processed 2000000 bytes from'
}
