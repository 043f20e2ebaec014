#!/usr/bin/env bats
# errors.bats: SPEC §5 — usage errors in argparse's shape (exit 2, before any
# socket), system errors in Python's words (exit 1), signals (130, 143).

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

SIXTEEN_USAGE='usage: tcp_sixteen {client,server} host [-p PORT]'

@test "a missing role is a usage error" {
	usage_error 'tcp_sixteen: error: the following arguments are required: role, host' tcp_sixteen
	assert_equal "$(head -1 <<<"$stderr")" "$SIXTEEN_USAGE"
	usage_error 'udp_local: error: the following arguments are required: role' udp_local
}

@test "an unknown role is a usage error" {
	usage_error "tcp_sixteen: error: argument role: invalid choice: 'dance' (choose from 'client', 'server')" tcp_sixteen dance 127.0.0.1
}

@test "a missing host is a usage error" {
	usage_error 'tcp_sixteen: error: the following arguments are required: host' tcp_sixteen client
	usage_error 'netdemo tcp-client: error: the following arguments are required: HOST' netdemo tcp-client
	usage_error 'big_sender: error: the following arguments are required: host' big_sender
}

@test "port 70000 is a usage error" {
	usage_error "tcp_sixteen: error: argument -p/--port: invalid port value: '70000' (must be 0 to 65535)" tcp_sixteen client 127.0.0.1 -p 70000
	usage_error "udp_local: error: argument -p/--port: invalid port value: '70000' (must be 0 to 65535)" udp_local server --port=70000
}

@test "port abc is a usage error" {
	usage_error "tcp_sixteen: error: argument -p/--port: invalid port value: 'abc'" tcp_sixteen server 127.0.0.1 -pabc
	usage_error "netdemo udp-server: error: argument -p/--port: invalid port value: '-1' (must be 0 to 65535)" netdemo udp-server -p -1
}

@test "an option without its value is a usage error" {
	usage_error 'tcp_sixteen: error: argument -p/--port: expected one argument' tcp_sixteen server 127.0.0.1 -p
}

@test "an unknown option is a usage error" {
	usage_error 'tcp_sixteen: error: unrecognized arguments: --bogus' tcp_sixteen server 127.0.0.1 --bogus
	usage_error 'udp_local: error: unrecognized arguments: -x' udp_local client -x
}

@test "an extra operand is a usage error" {
	usage_error 'udp_local: error: unrecognized arguments: 127.0.0.1' udp_local server 127.0.0.1
	usage_error 'tcp_sixteen: error: unrecognized arguments: extra' tcp_sixteen client 127.0.0.1 extra
}

@test "a bad rate, choice or bytecount is a usage error" {
	usage_error "netdemo udp-server: error: argument --drop: invalid rate value: '1.5' (must be 0 to 1)" netdemo udp-server --drop 1.5
	usage_error "netdemo tcp-server: error: argument --mode: invalid choice: 'loud' (choose from 'sixteen', 'upper')" netdemo tcp-server --mode loud
	usage_error "tcp_deadlock: error: argument bytecount: invalid int value: 'lots'" tcp_deadlock client 127.0.0.1 lots
}

@test "usage errors are found before any socket is opened" {
	command -v strace >/dev/null || skip "strace is not installed"
	for args in "tcp_sixteen client 127.0.0.1 -p 70000" "udp_local dance" \
	    "tcp_sixteen client" "udp_remote client 127.0.0.1 --bogus"; do
		# LeakSanitizer needs ptrace, which strace holds (make check).
		ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0 \
		    run timeout 10 strace -f -qq -e trace=socket \
		    -o "$BATS_TEST_TMPDIR/st" "$NETDEMO" $args
		assert_failure 2
		run grep -c 'socket(' "$BATS_TEST_TMPDIR/st"
		assert_output 0
	done
}

@test "connection refused is named as Python names it, with a hint" {
	port=$(free_port tcp)
	run --separate-stderr bounded tcp_sixteen client 127.0.0.1 -p "$port"
	assert_failure 1
	assert_equal "$stderr" "tcp_sixteen: connect to ('127.0.0.1', $port): ConnectionRefusedError: [Errno 111] Connection refused
tcp_sixteen: hint: is a server running on that port?"
}

@test "an address in use is an OSError with errno 98" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	run --separate-stderr bounded tcp_sixteen server 127.0.0.1 -p "$SRV_PORT"
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "tcp_sixteen: bind to ('127.0.0.1', $SRV_PORT): OSError: [Errno 98] Address already in use"
	start_server USRV udp_local server -p 0
	run --separate-stderr bounded udp_local server -p "$USRV_PORT"
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "udp_local: bind to ('127.0.0.1', $USRV_PORT): OSError: [Errno 98] Address already in use"
}

@test "a port below 1024 is a PermissionError for an unprivileged user" {
	[[ $EUID == 0 ]] || skip "needs root to become another user in a namespace"
	# A fresh namespace has the default unprivileged port floor (1024).
	ns=nd-perm-$$
	ip netns add "$ns" || skip "cannot create a network namespace"
	ip -n "$ns" link set lo up
	run --separate-stderr ip netns exec "$ns" timeout -k 2 5 setpriv --reuid=65534 \
	    --regid=65534 --clear-groups "$NETDEMO" tcp_sixteen server 127.0.0.1 -p 80
	ip netns del "$ns"
	assert_failure 1
	assert_equal "$stderr" "netdemo tcp_sixteen: bind to ('127.0.0.1', 80): PermissionError: [Errno 13] Permission denied
netdemo tcp_sixteen: hint: ports below 1024 need root; try a port above 1023 with -p"
}

@test "an unknown host is a socket.gaierror" {
	[[ $EUID == 0 ]] || skip "needs root to keep the lookup off the network"
	# Files only, so the test sends no DNS query anywhere.
	printf 'hosts: files\n' >"$BATS_TEST_TMPDIR/nsswitch.conf"
	run --separate-stderr unshare -m sh -c "mount --bind '$BATS_TEST_TMPDIR/nsswitch.conf' /etc/nsswitch.conf && exec timeout -k 2 5 '$ND_BIN/tcp_sixteen' client nohost.invalid"
	assert_failure 1
	assert_equal "$stderr" "tcp_sixteen: resolve ('nohost.invalid', 1060): socket.gaierror: [Errno -2] Name or service not known"
}

@test "SIGINT stops a server cleanly with 130 and its output flushed" {
	start_server SRV udp_local server -p 0
	run peer udp-client -p "$SRV_PORT" -m hello
	assert_success
	stop_server SRV INT
	assert_equal "$SRV_STATUS" 130
	run cat "$SRV_OUT"
	assert_line --index 1 --regexp "^The client at .* says 'hello'$"
	run cat "$SRV_ERR"
	assert_output ''
}

@test "SIGTERM stops a server cleanly with 143" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	stop_server SRV TERM
	assert_equal "$SRV_STATUS" 143
	run cat "$SRV_ERR"
	assert_output ''
}

@test "SIGINT stops a waiting client with 130" {
	start_server SRV peer udp-server -p 0 --silent
	timeout --foreground -k "$ND_STOP_TIMEOUT" 10 udp_local client -p "$SRV_PORT" >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	pid=$!
	wait_for_line "$SRV_OUT" 'says'
	wait_for_line "$BATS_TEST_TMPDIR/c.out" '^The OS assigned me'
	kill -INT "$pid"
	# timeout(1) passes the signal on and returns the client's status.
	status=0
	wait "$pid" || status=$?
	assert_equal "$status" 130
}
