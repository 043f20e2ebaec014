#!/usr/bin/env bats
# udp-server: every option, its errors and conflicts, IPv6, names of both
# families, reproducible drops, the reply rate limit off loopback.

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

# replies PORT COUNT [HOST]: send COUNT numbered datagrams from one socket,
# then print how many replies came back within half a second of the last.
replies() {
	timeout -k 2 "$ND_TIMEOUT" python3 - "$@" <<'PY'
import socket, sys
port, count = int(sys.argv[1]), int(sys.argv[2])
host = sys.argv[3] if len(sys.argv) > 3 else '127.0.0.1'
s = socket.socket(socket.getaddrinfo(host, port)[0][0], socket.SOCK_DGRAM)
s.connect((host, port))
for i in range(count):
    s.send(b'%d' % i)
s.settimeout(0.5)
n = 0
try:
    while True:
        s.recv(100)
        n += 1
except socket.timeout:
    pass
print(n)
PY
}

# ------------------------------------------------------------------ help

@test "udp-server --help lists every option" {
	run bounded netdemo udp-server --help
	assert_success
	assert_line --index 0 'usage: netdemo udp-server [options] [INTERFACE]'
	for opt in '--drop RATE' '--seed N' '--no-reply' '-c, --count N' \
	    '--rate-limit N' '-I, --interface IFACE' '--join GROUP' \
	    '--join-source ADDR' '-p, --port PORT' '-4 ' '-6 ' '--json' \
	    '-q, --quiet' '-h, --help'; do
		assert_line --partial "  $opt"
	done
}

# --------------------------------------------------------- usage errors

@test "udp-server rejects a bad --drop, --seed, --count or --rate-limit" {
	usage_error "netdemo udp-server: error: argument --drop: invalid rate value: '1.5' (must be 0 to 1)" netdemo udp-server --drop 1.5
	usage_error "netdemo udp-server: error: argument --drop: invalid rate value: 'half'" netdemo udp-server --drop half
	usage_error "netdemo udp-server: error: argument --seed: invalid int value: '-1' (must be 0 to 9007199254740991)" netdemo udp-server --drop 0.5 --seed -1
	usage_error "netdemo udp-server: error: argument --seed: invalid int value: 'x'" netdemo udp-server --drop 0.5 --seed x
	usage_error "netdemo udp-server: error: argument -c/--count: invalid int value: '0' (must be 1 to 9007199254740991)" netdemo udp-server -c 0
	usage_error "netdemo udp-server: error: argument --rate-limit: invalid int value: '-1' (must be 0 to 1000000)" netdemo udp-server --rate-limit -1
	usage_error "netdemo udp-server: error: argument --rate-limit: invalid int value: '1e3'" netdemo udp-server --rate-limit 1e3
	usage_error "netdemo udp-server: error: argument -p/--port: invalid port value: '65536' (must be 0 to 65535)" netdemo udp-server -p 65536
	usage_error "netdemo udp-server: error: unrecognized arguments: extra" netdemo udp-server 127.0.0.1 extra
}

@test "udp-server says which options conflict" {
	usage_error 'netdemo udp-server: error: cannot use --seed without --drop' netdemo udp-server --seed 7
	usage_error 'netdemo udp-server: error: cannot use --rate-limit with --no-reply' netdemo udp-server --no-reply --rate-limit 5
	usage_error 'netdemo udp-server: error: cannot use -4 with -6' netdemo udp-server -4 -6
	usage_error 'udp_broadcast: error: cannot use --rate-limit with --no-reply' udp_broadcast server '' --rate-limit 5
	usage_error 'netdemo udp-server: error: cannot use --join-source without --join' netdemo udp-server --join-source 10.0.0.1
	usage_error "netdemo udp-server: error: argument -I/--interface: no such interface: 'nd-no-such0'" netdemo udp-server -I nd-no-such0
}

@test "udp-server -6 with an IPv4 address, or -4 with an IPv6 one, is a usage error" {
	usage_error "netdemo udp-server: error: cannot use -6 with the IPv4 address '127.0.0.1'" netdemo udp-server -6 127.0.0.1
	usage_error "netdemo udp-server: error: cannot use -4 with the IPv6 address '::1'" netdemo udp-server -4 ::1
	usage_error "netdemo udp-server: error: cannot use -4 with the IPv6 address 'fe80::1%lo'" netdemo udp-server -4 'fe80::1%lo'
	usage_error "udp_remote: error: cannot use -6 with the IPv4 address '0.0.0.0'" udp_remote server 0.0.0.0 -6
}

# ------------------------------------------------------------ the basics

@test "udp-server listens on 127.0.0.1 unless an interface is named" {
	start_server SRV netdemo udp-server -p 0
	assert_equal "$SRV_HOST" 127.0.0.1
	run peer udp-client -p "$SRV_PORT" -m 'hello'
	assert_success
	assert_output "'Your data was 5 bytes long'"
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says 'hello'$"
}

@test "udp-server -c exits 0 after N datagrams, dropped ones included" {
	start_server SRV netdemo udp-server -p 0 -c 3 --drop 0.5 --seed 1
	udp_send "$SRV_PORT" 127.0.0.1 a b c
	_nd_reap 5 "$SRV_PID"
	wait "$SRV_PID" || SRV_STATUS=$?
	assert_equal "${SRV_STATUS:-0}" 0
	says=$(grep -c ' says ' "$SRV_OUT" || true)
	drops=$(grep -c '^Pretending to drop' "$SRV_OUT" || true)
	assert_equal $((says + drops)) 3
}

@test "udp-server --drop with the same --seed drops the same datagrams every run" {
	for seed in 11 11 12; do
		start_server SRV netdemo udp-server -p 0 -c 40 --drop 0.5 --seed "$seed"
		udp_send "$SRV_PORT" 127.0.0.1 $(seq 1 40)
		stop_server SRV TERM 5
		grep -o "says '[0-9]*'" "$SRV_OUT" | tr -dc '0-9\n' | paste -sd, >>"$BATS_TEST_TMPDIR/kept"
	done
	run cat "$BATS_TEST_TMPDIR/kept"
	# Runs 1 and 2 (seed 11) keep the same datagrams; seed 12 others.
	assert_equal "${lines[0]}" "${lines[1]}"
	refute [ "${lines[0]}" = "${lines[2]}" ]
	kept=$(tr ',' '\n' <<<"${lines[0]}" | wc -l)
	assert [ "$kept" -gt 5 ]
	assert [ "$kept" -lt 35 ]
}

@test "udp-server --drop 1 drops everything and --drop 0 nothing" {
	start_server SRV netdemo udp-server -p 0 --drop 1
	run replies "$SRV_PORT" 5
	assert_output 0
	run grep -c '^Pretending to drop packet from' "$SRV_OUT"
	assert_output 5
	start_server SRV2 netdemo udp-server -p 0 --drop 0 -c 5
	run replies "$SRV2_PORT" 5
	assert_output 5
}

@test "udp-server --no-reply prints with the book's colon and sends nothing" {
	start_server SRV netdemo udp-server -p 0 --no-reply
	assert_equal "$(head -1 "$SRV_OUT")" "Listening for datagrams at ('127.0.0.1', $SRV_PORT)"
	run replies "$SRV_PORT" 3
	assert_output 0
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says: '2'$"
}

@test "udp-server -q prints nothing and still answers" {
	port=$(free_port udp)
	timeout -k 2 20 "$NETDEMO" udp-server -q -p "$port" -c 2 >"$BATS_TEST_TMPDIR/out" 2>&1 3>&- &
	pid=$!
	run peer udp-client -p "$port" -m one
	assert_output "'Your data was 3 bytes long'"
	run peer udp-client -p "$port" -m three
	assert_output "'Your data was 5 bytes long'"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output ''
}

@test "udp-server survives empty, non-ASCII and 65507-byte datagrams" {
	start_server SRV netdemo udp-server -p 0
	timeout -k 2 5 python3 - "$SRV_PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(2)
for data in (b'', b'\xff\xfe\x00', b'x' * 65507):
    s.sendto(data, ('127.0.0.1', int(sys.argv[1])))
    reply = s.recv(100)
    assert reply == b'Your data was %d bytes long' % len(data), reply
PY
	wait_for_line "$SRV_OUT" "says ''$"
	wait_for_line "$SRV_OUT" "says b'\\\\xff\\\\xfe\\\\x00'$"
	assert _nd_alive "$SRV_PID"
}

@test "udp-server ends with a summary event on SIGTERM" {
	start_json_server SRV netdemo udp-server -p 0 --json --drop 0.5 --seed 3
	udp_send "$SRV_PORT" 127.0.0.1 $(seq 1 10)
	wait_for_line "$SRV_OUT" '"datagrams"|"event": "(datagram|drop)".*"bytes": 2\}'
	stop_server SRV TERM
	assert_equal "$SRV_STATUS" 143
	run tail -1 "$SRV_OUT"
	assert_output --regexp '^\{"event": "summary", "datagrams": 10, "replies": [0-9]+, "dropped": [0-9]+, "limited": 0, "failed": 0, "status": 143\}$'
	replies=$(grep -c '"event": "reply"' "$SRV_OUT")
	drops=$(grep -c '"event": "drop"' "$SRV_OUT")
	assert_output --partial "\"replies\": $replies, \"dropped\": $drops,"
	assert_equal $((replies + drops)) 10
}

# ------------------------------------------------------------------ IPv6

@test "udp-server -6 listens on ::1 and prints Python's four-tuple" {
	start_server SRV netdemo udp-server -6 -p 0
	assert_equal "$(head -1 "$SRV_OUT")" "Listening at ('::1', $SRV_PORT, 0, 0)"
	run peer udp-client --host ::1 -p "$SRV_PORT" -m six
	assert_success
	assert_output "'Your data was 3 bytes long'"
	wait_for_line "$SRV_OUT" "^The client at \('::1', [0-9]+, 0, 0\) says 'six'$"
}

@test "udp-server on ::1 given as a literal" {
	start_server SRV netdemo udp-server ::1 -p 0
	assert_equal "$SRV_HOST" ::1
	run peer udp-client --host ::1 -p "$SRV_PORT" -m x
	assert_output "'Your data was 1 bytes long'"
}

@test "udp-server listens on every address of a name, on one port" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	printf '::1 dual.test\n127.0.0.1 dual.test\n' >"$BATS_TEST_TMPDIR/hosts"
	run with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 10 bash -c '
		: >"$1"
		"$0" udp-server dual.test -p 0 -c 2 >"$1" 3>&- &
		for i in $(seq 100); do [[ $(wc -l <"$1") -ge 2 ]] && break; sleep 0.05; done
		port=$(sed -n "2s/.*, \([0-9]*\))$/\1/p" "$1")
		python3 "$2" udp-client --host ::1 -p "$port" -m v6 &&
		python3 "$2" udp-client --host 127.0.0.1 -p "$port" -m v4 && wait' \
	    "$NETDEMO" "$BATS_TEST_TMPDIR/out" "$ND_PEER"
	assert_success
	run cat "$BATS_TEST_TMPDIR/out"
	port=$(sed -n "2s/.*, \([0-9]*\))$/\1/p" <<<"$output")
	assert_line --index 0 "Listening at ('::1', $port, 0, 0)"
	assert_line --index 1 "Listening at ('127.0.0.1', $port)"
	assert_line --index 2 --regexp "^The client at \('::1', [0-9]+, 0, 0\) says 'v6'$"
	assert_line --index 3 --regexp "^The client at $LOCAL says 'v4'$"
}

@test "udp-server stops when one address of a name is in use, and says which" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	start_server SRV netdemo udp-server 127.0.0.1 -p 0
	printf '::1 dual.test\n127.0.0.1 dual.test\n' >"$BATS_TEST_TMPDIR/hosts"
	run --separate-stderr with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 5 "$NETDEMO" udp-server dual.test -p "$SRV_PORT"
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "netdemo udp-server: bind to ('127.0.0.1', $SRV_PORT): OSError: [Errno 98] Address already in use"
}

# ------------------------------------------------------------ rate limit

# Counts replies against a rate of 3 a second: serial (see Makefile).
# bats test_tags=serial
@test "udp-server --rate-limit holds back replies past the budget, and says so" {
	start_server SRV netdemo udp-server -p 0 --rate-limit 3
	run replies "$SRV_PORT" 10
	assert_output 3
	wait_for_line "$SRV_ERR" '^netdemo udp-server: rate limit: [0-9]+ replies held back \(3 a second to each source; see --rate-limit\)$'
	run grep -c " says '" "$SRV_OUT"
	assert_output 10
	# A second later the bucket holds three more.
	sleep 1.1
	run replies "$SRV_PORT" 5
	assert_output 3
	stop_server SRV
	held=$(grep -oE '[0-9]+ repl(y|ies) held back' "$SRV_ERR" | grep -o '^[0-9]*' | paste -sd+)
	assert_equal $((held)) 9
}

# Counts replies against a rate of 3 a second: serial (see Makefile).
# bats test_tags=serial
@test "udp-server says 1 reply held back, in the singular" {
	start_server SRV netdemo udp-server -p 0 --rate-limit 3
	run replies "$SRV_PORT" 4
	assert_output 3
	wait_for_line "$SRV_ERR" '^netdemo udp-server: rate limit: 1 reply held back \(3 a second to each source; see --rate-limit\)$'
	stop_server SRV
}

@test "udp-server on loopback answers every datagram unless told" {
	start_server SRV netdemo udp-server -p 0
	run replies "$SRV_PORT" 30
	assert_output 30
	run cat "$SRV_ERR"
	assert_output ''
}

# Counts replies against a rate: serial (see Makefile).
# bats test_tags=serial
@test "udp-server beyond loopback limits replies to 10 a second per source" {
	ns_need
	ns_add "nd-us-$$"
	ip -n "nd-us-$$" addr add 10.70.0.1/32 dev lo
	ip netns exec "nd-us-$$" timeout -k "$ND_STOP_TIMEOUT" 20 "$NETDEMO" udp-server 10.70.0.1 -p 7000 --json \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '"listening"'
	# 30 datagrams in a few milliseconds: the burst of 10 is answered (one
	# more for each tenth of a second the sending took).
	run ip netns exec "nd-us-$$" bash -c "$(declare -f replies); ND_TIMEOUT=$ND_TIMEOUT replies 7000 30 10.70.0.1"
	n=$output
	assert [ "$n" -ge 10 ]
	assert [ "$n" -le 11 ]
	kill -TERM "$pid"
	wait "$pid" || true
	run tail -1 "$BATS_TEST_TMPDIR/out"
	assert_output "{\"event\": \"summary\", \"datagrams\": 30, \"replies\": $n, \"dropped\": 0, \"limited\": $((30 - n)), \"failed\": 0, \"status\": 143}"
	run grep -c '"event": "limited", "to": {"host": "10.70.0.1"' "$BATS_TEST_TMPDIR/out"
	assert_output $((30 - n))
	grep -q 'rate limit: ' "$BATS_TEST_TMPDIR/err"
}

@test "udp-server --rate-limit 0 beyond loopback answers everything" {
	ns_need
	ns_add "nd-us-$$"
	ip -n "nd-us-$$" addr add 10.70.0.1/32 dev lo
	ip netns exec "nd-us-$$" timeout -k "$ND_STOP_TIMEOUT" 20 "$NETDEMO" udp-server 10.70.0.1 -p 7000 --rate-limit 0 \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '^Listening at'
	run ip netns exec "nd-us-$$" bash -c "$(declare -f replies); ND_TIMEOUT=$ND_TIMEOUT replies 7000 30 10.70.0.1"
	assert_output 30
	kill -TERM "$pid"
	wait "$pid" || true
	run cat "$BATS_TEST_TMPDIR/err"
	assert_output ''
}

# Floods 20000 sources and weighs the server: serial (see Makefile).
# bats test_tags=serial
@test "udp-server's rate-limit table stays the same size under 20000 sources" {
	ns_need
	ns_add "nd-us-$$"
	# Every address of 10.71.0.0/16 is local: a source per datagram.
	ip -n "nd-us-$$" route add local 10.71.0.0/16 dev lo
	ip -n "nd-us-$$" addr add 10.70.0.1/32 dev lo
	ip netns exec "nd-us-$$" timeout -k 2 60 "$NETDEMO" udp-server 10.70.0.1 -p 7000 -q \
	    >"$BATS_TEST_TMPDIR/out" 2>"$BATS_TEST_TMPDIR/err" 3>&- &
	pid=$!
	sleep 0.3
	flood() {
		ip netns exec "nd-us-$$" timeout -k 2 60 python3 - "$1" "$2" <<'PY'
import socket, sys
first, count = int(sys.argv[1]), int(sys.argv[2])
for i in range(first, first + count):
    s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    s.bind(('10.71.%d.%d' % (i // 250, 1 + i % 250), 0))
    s.sendto(b'x', ('10.70.0.1', 7000))
    s.close()
PY
	}
	flood 0 500
	sleep 0.3
	rss_before=$(awk '/^VmRSS/ {print $2}' "/proc/$(pgrep -P "$pid")/status")
	flood 500 20000
	sleep 0.3
	rss_after=$(awk '/^VmRSS/ {print $2}' "/proc/$(pgrep -P "$pid")/status")
	kill -TERM "$pid"
	wait "$pid" || true
	echo "VmRSS $rss_before kB before, $rss_after kB after" >&3
	# A table that grew by source would need a megabyte or more here.
	assert [ $((rss_after - rss_before)) -lt 256 ]
}
