#!/usr/bin/env bats
# peer.bats: checks the test helpers and the Python peer against each other,
# without netdemo, so that a failure elsewhere points at netdemo and not at
# the harness.

load test_helper/common

have_ipv6() {
	python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' \
	    2>/dev/null
}

@test "start_server reads the port the OS picked from the Listening line" {
	start_server SRV peer udp-server -p 0
	[[ $SRV_PORT =~ ^[0-9]+$ ]]
	assert [ "$SRV_PORT" -gt 0 ]
	assert_equal "$SRV_HOST" 127.0.0.1
	run cat "$SRV_OUT"
	assert_line --index 0 "Listening at ('127.0.0.1', $SRV_PORT)"
}

@test "peer udp-client gets the byte count back from peer udp-server" {
	start_server SRV peer udp-server -p 0 --count 1
	run peer udp-client -p "$SRV_PORT" --message 'The time is now'
	assert_success
	assert_output "'Your data was 15 bytes long'"
	wait_for_line "$SRV_OUT" "^The client at \('127\.0\.0\.1', [0-9]+\) says 'The time is now'$"
}

@test "peer udp-server answers with a custom reply and exits after --count" {
	start_server SRV peer udp-server -p 0 --count 1 --reply "it's \\x41"
	run peer udp-client -p "$SRV_PORT"
	assert_success
	assert_output "\"it's A\""
	# Signal 0 sends nothing: the server must exit on its own, in time.
	stop_server SRV 0 5
	assert_equal "$SRV_STATUS" 0
}

@test "peer udp-client gives up with exit 3 when the server is silent" {
	start_server SRV peer udp-server -p 0 --silent
	run peer udp-client -p "$SRV_PORT" --timeout 0.2
	assert_failure 3
	assert_output --partial 'gave up'
}

@test "peer udp-client reports a refused port as Python does" {
	port=$(free_port udp)
	run peer udp-client -p "$port"
	assert_failure 1
	assert_output 'peer: ConnectionRefusedError: [Errno 111] Connection refused'
}

@test "start_server parses the IPv6 four-tuple" {
	have_ipv6 || skip "no IPv6 loopback"
	start_server SRV peer udp-server -p 0 --host ::1 --count 1
	assert_equal "$SRV_HOST" ::1
	run cat "$SRV_OUT"
	assert_line --index 0 "Listening at ('::1', $SRV_PORT, 0, 0)"
	run peer udp-client --host ::1 -p "$SRV_PORT" --message abc
	assert_output "'Your data was 3 bytes long'"
}

@test "tcp sixteen peers exchange their sixteen octets" {
	start_server SRV peer tcp-sixteen-server -p 0 --count 1
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	assert_output "b'Farewell, client'"
	wait_for_line "$SRV_OUT" "^b'Hi there, server'$"
}

@test "tcp sixteen peer shows non-ASCII bytes in repr" {
	start_server SRV peer tcp-sixteen-server -p 0 --count 1
	run peer tcp-sixteen-client -p "$SRV_PORT" --send '\xff\x00\t\n\\ABCDEFGHIJK'
	assert_success
	wait_for_line "$SRV_OUT" "^b'\\\\xff\\\\x00\\\\t\\\\n\\\\\\\\ABCDEFGHIJK'$"
}

@test "tcp sixteen server that closes early leaves the client short" {
	start_server SRV peer tcp-sixteen-server -p 0 --close-after 5
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_failure 1
	assert_output 'EOFError: was expecting 16 bytes but only received 5 bytes before the socket closed'
}

@test "tcp upper peers move a megabyte full duplex" {
	start_server SRV peer tcp-upper-server -p 0 --count 1
	run peer tcp-upper-client -p "$SRV_PORT" --bytes 1048576
	assert_success
	assert_output - <<-'EOF'
	sent 1048576 bytes
	received 1048576 bytes
	matched: yes
	EOF
	wait_for_line "$SRV_OUT" "^Processed 1048576 bytes from \('127\.0\.0\.1', [0-9]+\)$"
}

@test "tcp upper client rounds its byte count up to sixteen" {
	start_server SRV peer tcp-upper-server -p 0
	run peer tcp-upper-client -p "$SRV_PORT" --bytes 17
	assert_success
	assert_line 'received 32 bytes'
}

@test "stop_server reports 130 for a server that exits on SIGINT" {
	start_server SRV peer udp-server -p 0
	stop_server SRV INT
	assert_equal "$SRV_STATUS" 130
}

@test "stop_server kills a server that ignores SIGTERM, saying what it was doing" {
	start_server SRV bash -c 'trap "" TERM; echo "Listening at ('"'127.0.0.1'"', 9)"; while :; do sleep 0.1; done'
	run stop_server SRV TERM 0.3
	assert_failure 1
	assert_output --partial 'killing its process group'
	# timeout(1), the bash under it, and its sleep, each with its state.
	assert_line --regexp '^netdemo tests:   PID [0-9]+ \(timeout\): state [RS], in '
	assert_line --regexp '^netdemo tests:   PID [0-9]+ \(bash\): state [RS], in '
}

@test "stop_server says so when its server had ended before the signal" {
	start_server SRV bash -c 'echo "Listening at ('"'127.0.0.1'"', 9)"; exit 3'
	_nd_reap 5 "$SRV_PID"
	run stop_server SRV INT
	assert_success
	assert_output "stop_server: SRV (PID $SRV_PID) had ended before the INT came"
	stop_server SRV INT 2>/dev/null
	assert_equal "$SRV_STATUS" 3
}

@test "stop_servers leaves alone a process that took a finished server's PID" {
	# bash reaps a server that exits at once, and the kernel may give its
	# PID to anyone.  A process whose start time is not the recorded one
	# stands for that: stop_servers must not signal it.
	# Not this shell's child, as such a process would not be.
	other=$(timeout 30 sleep 30 </dev/null >/dev/null 2>&1 3>&- & echo $!)
	ND_SERVER_PIDS+=("$other")
	ND_SERVER_BORN[$other]=1
	stop_servers
	# Still running, not a zombie.
	run _nd_alive "$other"
	kill "$other"
	assert_success
}

@test "start_server fails at once when the server exits without listening" {
	run start_server SRV python3 -c 'import sys; sys.exit("no socket for you")'
	assert_failure 1
	assert_output --partial 'exited before listening'
	assert_output --partial 'no socket for you'
}

@test "wait_for_line gives up after its deadline" {
	printf 'partial line without newline' >"$BATS_TEST_TMPDIR/f"
	SECONDS=0
	run wait_for_line "$BATS_TEST_TMPDIR/f" 'partial' 0.3
	assert_failure 1
	assert [ "$SECONDS" -le 2 ]
}

@test "free_port finds a port free for TCP and UDP" {
	port=$(free_port)
	[[ $port =~ ^[0-9]+$ ]]
	run peer tcp-sixteen-client -p "$port"
	assert_failure 1
	assert_output --partial 'ConnectionRefusedError'
}

@test "peers give up at their overall deadline" {
	run peer tcp-sixteen-server -p 0 --deadline 0.3
	assert_failure 124
	assert_output --partial 'deadline'
}
