#!/usr/bin/env bats
# book.bats: the six programs of chapters 2 and 3, line for line as SPEC §3
# gives them, under the book's names and under the native applets.

load test_helper/common

setup_file() {
	nd_setup_links
}

# What Python's str(datetime.now()) prints, microseconds unless zero.
NOW='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?'
LOCAL="\('127\.0\.0\.1', [0-9]+\)"

# send_from PORT TEXT: one datagram to 127.0.0.1:PORT from a new socket;
# prints the port it was sent from.
send_from() {
	python3 - "$1" "$2" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(('127.0.0.1', 0))
s.sendto(sys.argv[2].encode(), ('127.0.0.1', int(sys.argv[1])))
print(s.getsockname()[1])
PY
}

# ---------------------------------------------------------------- udp_local

@test "udp_local server listens at 127.0.0.1 as the book prints it" {
	start_server SRV udp_local server -p 0
	run cat "$SRV_OUT"
	assert_output "Listening at ('127.0.0.1', $SRV_PORT)"
}

@test "udp_local server prints what each client says and answers its length" {
	start_server SRV udp_local server -p 0
	run peer udp-client -p "$SRV_PORT" -m 'The time is now'
	assert_success
	assert_output "'Your data was 15 bytes long'"
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says 'The time is now'$"
}

@test "udp_local client sends the time as Python's str(datetime.now())" {
	start_server SRV peer udp-server -p 0 --count 1
	run bounded udp_local client -p "$SRV_PORT"
	assert_success
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says 'The time is $NOW'$"
}

@test "udp_local client prints the address the OS assigned it" {
	start_server SRV udp_local server -p 0
	run bounded udp_local client -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^The OS assigned me the address \('0\.0\.0\.0', [0-9]+\)$"
}

@test "udp_local client gets the byte count back" {
	start_server SRV udp_local server -p 0
	run bounded udp_local client -p "$SRV_PORT"
	assert_success
	# 38 bytes; 31 in the one microsecond in a million that has no digits.
	assert_line --index 1 --regexp "^The server \('127\.0\.0\.1', $SRV_PORT\) replied 'Your data was (38|31) bytes long'$"
	assert_equal "${#lines[@]}" 2
}

@test "udp_local client takes the first datagram from anyone (the danger)" {
	start_server SRV peer udp-server -p 0 --silent --count 1
	bounded udp_local client -p "$SRV_PORT" >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	cpid=$!
	wait_for_line "$SRV_OUT" "^The client at \('127\.0\.0\.1', ([0-9]+)\) says"
	stranger=$(send_from "${BASH_REMATCH[1]}" 'Nobody asked me')
	wait "$cpid"
	run cat "$BATS_TEST_TMPDIR/c.out"
	assert_line --index 1 "The server ('127.0.0.1', $stranger) replied 'Nobody asked me'"
}

@test "udp-server and udp-client --promiscuous make the same exchange" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client --promiscuous --backoff 0 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^The OS assigned me the address \('0\.0\.0\.0', [0-9]+\)$"
	assert_line --index 1 --regexp "^The server \('127\.0\.0\.1', $SRV_PORT\) replied 'Your data was (38|31) bytes long'$"
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says 'The time is $NOW'$"
}

@test "udp_local server prints non-ASCII data as bytes and still answers" {
	start_server SRV udp_local server -p 0
	run peer udp-client -p "$SRV_PORT" -m 'caf\xc3\xa9 \x00\t'
	assert_success
	assert_output "'Your data was 8 bytes long'"
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says b'caf\\\\xc3\\\\xa9 \\\\x00\\\\t'$"
}

@test "udp_local server quotes text holding a quote as Python's repr does" {
	start_server SRV udp_local server -p 0
	run peer udp-client -p "$SRV_PORT" -m "it's"
	assert_success
	run peer udp-client -p "$SRV_PORT" -m "\"it's\""
	assert_success
	wait_for_line "$SRV_OUT" "says \"it's\"$"
	wait_for_line "$SRV_OUT" "says '\"it\\\\'s\"'$"
}

# --------------------------------------------------------------- udp_remote

@test "udp_remote server listens on every interface for an empty host" {
	start_server SRV udp_remote server '' -p 0
	run cat "$SRV_OUT"
	assert_output "Listening at ('0.0.0.0', $SRV_PORT)"
}

@test "udp_remote server pretends to drop, and the client backs off" {
	# Seed 7 drops the first two datagrams, then answers.
	start_server SRV udp_remote server 127.0.0.1 -p 0 --seed 7
	run bounded udp_remote client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^Client socket name is $LOCAL$"
	assert_line --index 1 'Waiting up to 0.1 seconds for a reply'
	assert_line --index 2 'Waiting up to 0.2 seconds for a reply'
	assert_line --index 3 'Waiting up to 0.4 seconds for a reply'
	assert_line --index 4 "The server says 'Your data was 23 bytes long'"
	assert_equal "${#lines[@]}" 5
	port=$(sed -n "s/^Client socket name is ('127.0.0.1', \([0-9]*\))$/\1/p" <<<"$output")
	wait_for_line "$SRV_OUT" "^The client at \('127\.0\.0\.1', $port\) says 'This is another message'$"
	run cat "$SRV_OUT"
	assert_line --index 1 "Pretending to drop packet from ('127.0.0.1', $port)"
	assert_line --index 2 "Pretending to drop packet from ('127.0.0.1', $port)"
}

@test "udp_remote server drops about half the datagrams at random" {
	start_server SRV udp_remote server 127.0.0.1 -p 0 --count 400
	python3 - "$SRV_PORT" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(400):
    s.sendto(b'x', ('127.0.0.1', int(sys.argv[1])))
    time.sleep(0.0005)
PY
	stop_server SRV TERM 5
	drops=$(grep -c '^Pretending to drop packet from' "$SRV_OUT")
	says=$(grep -cE "^The client at $LOCAL says 'x'$" "$SRV_OUT")
	# 400 fair coin flips land within 140..260 but once in ~10^9 runs.
	assert [ $((drops + says)) -eq 400 ]
	assert [ "$drops" -gt 140 ]
	assert [ "$drops" -lt 260 ]
}

@test "udp_remote client gives up after the book's backoff: server is down" {
	# A bound socket that never answers: no ICMP, so only silence.
	start_server SRV peer udp-server -p 0 --silent
	SECONDS=0
	run --separate-stderr bounded udp_remote client 127.0.0.1 -p "$SRV_PORT"
	assert_failure 3
	assert_line --index 1 'Waiting up to 0.1 seconds for a reply'
	assert_line --index 2 'Waiting up to 0.2 seconds for a reply'
	assert_line --index 3 'Waiting up to 0.4 seconds for a reply'
	assert_line --index 4 'Waiting up to 0.8 seconds for a reply'
	assert_line --index 5 'Waiting up to 1.6 seconds for a reply'
	assert_equal "${#lines[@]}" 6
	assert_equal "$(head -1 <<<"$stderr")" "udp_remote: I think the server is down"
	# 0.1 + 0.2 + 0.4 + 0.8 + 1.6 = 3.1 s
	assert [ "$SECONDS" -ge 3 ]
	assert [ "$SECONDS" -le 5 ]
	run grep -c "says 'This is another message'" "$SRV_OUT"
	assert_output 5
}

@test "udp_remote client reports ConnectionRefusedError when nobody listens" {
	port=$(free_port udp)
	run --separate-stderr bounded udp_remote client 127.0.0.1 -p "$port"
	assert_failure 1
	assert_line --index 1 'Waiting up to 0.1 seconds for a reply'
	assert_equal "$stderr" "udp_remote: recv from ('127.0.0.1', $port): ConnectionRefusedError: [Errno 111] Connection refused
udp_remote: hint: is a server running on that port?"
}

@test "udp-server --drop and udp-client make the udp_remote exchange" {
	start_server SRV netdemo udp-server -p 0 --drop 0.5 --seed 7
	run bounded netdemo udp-client -p "$SRV_PORT" -m 'This is another message'
	assert_success
	assert_line --index 0 --regexp "^Client socket name is $LOCAL$"
	assert_line --index 3 'Waiting up to 0.4 seconds for a reply'
	assert_line --index 4 "The server says 'Your data was 23 bytes long'"
	run grep -c '^Pretending to drop packet from' "$SRV_OUT"
	assert_output 2
}

@test "udp_remote client works against an independent server" {
	start_server SRV peer udp-server -p 0 --count 1
	run bounded udp_remote client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 2 "The server says 'Your data was 23 bytes long'"
}

# ------------------------------------------------------------ udp_broadcast

@test "udp_broadcast server only prints, with the book's colon" {
	start_server SRV udp_broadcast server 127.0.0.1 -p 0
	assert_equal "$(head -1 "$SRV_OUT")" "Listening for datagrams at ('127.0.0.1', $SRV_PORT)"
	run bounded udp_broadcast client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_output ''
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says: 'Broadcast datagram!'$"
}

@test "udp_broadcast server sends no reply" {
	start_server SRV udp_broadcast server 127.0.0.1 -p 0
	run peer udp-client -p "$SRV_PORT" --timeout 0.5
	assert_failure 3
	wait_for_line "$SRV_OUT" "says: 'This is another message'$"
}

@test "udp_broadcast client sets SO_BROADCAST and reaches a LAN's broadcast address" {
	[[ $EUID == 0 ]] || skip "needs root to make a network namespace"
	ns=nd-bc-$$-$BATS_TEST_NUMBER
	ip netns add "$ns" || skip "cannot create a network namespace"
	ip -n "$ns" link set lo up
	ip -n "$ns" link add v0 type veth peer name v1
	ip -n "$ns" addr add 10.201.0.1/24 brd + dev v0
	ip -n "$ns" link set v0 up
	ip -n "$ns" link set v1 up
	ip netns exec "$ns" timeout -k 2 10 "$NETDEMO" udp_broadcast server '' -p 1060 \
	    >"$BATS_TEST_TMPDIR/bc.out" 3>&- &
	spid=$!
	wait_for_line "$BATS_TEST_TMPDIR/bc.out" '^Listening for datagrams'
	# Without SO_BROADCAST the kernel refuses a broadcast address.
	run --separate-stderr ip netns exec "$ns" timeout -k 2 5 "$NETDEMO" udp-client \
	    --promiscuous -m x 10.201.0.255
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "netdemo udp-client: send to ('10.201.0.255', 1060): PermissionError: [Errno 13] Permission denied"
	run ip netns exec "$ns" timeout -k 2 5 "$NETDEMO" udp_broadcast client 10.201.0.255
	assert_success
	wait_for_line "$BATS_TEST_TMPDIR/bc.out" "^The client at \('10\.201\.0\.1', [0-9]+\) says: 'Broadcast datagram!'$"
	kill "$spid"
	wait "$spid" || true
	ip netns del "$ns"
}

@test "udp-server --no-reply and udp-client --broadcast --send-only make the same exchange" {
	start_server SRV netdemo udp-server --no-reply -p 0
	run bounded netdemo udp-client --broadcast --send-only -p "$SRV_PORT"
	assert_success
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says: 'Broadcast datagram!'$"
}

# --------------------------------------------------------------- big_sender

@test "big_sender says the datagram did not make it and what IP_MTU holds" {
	want=$(python3 -c '
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IP, 10, 2)
s.connect(("127.0.0.1", 1060))
print(s.getsockopt(socket.IPPROTO_IP, 14))')
	run bounded big_sender 127.0.0.1
	assert_success
	assert_line --index 0 'Alas, the datagram did not make it'
	assert_line --index 1 "Actual MTU: $want"
	assert_equal "${#lines[@]}" 2
}

@test "mtu-probe --once is big_sender" {
	run bounded netdemo mtu-probe --once 127.0.0.1
	assert_success
	assert_line --index 0 'Alas, the datagram did not make it'
	assert_line --index 1 --regexp '^Actual MTU: [0-9]+$'
}

# -------------------------------------------------------------- tcp_sixteen

@test "tcp_sixteen server prints the book's lines for a connection" {
	start_server SRV tcp_sixteen server '' -p 0
	run bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	port=$(sed -n "s/^Client has been assigned socket name ('127.0.0.1', \([0-9]*\))$/\1/p" <<<"$output")
	wait_for_line "$SRV_OUT" '^  Reply sent, socket closed$'
	run cat "$SRV_OUT"
	assert_line --index 0 "Listening at ('0.0.0.0', $SRV_PORT)"
	assert_line --index 1 'Waiting to accept a new connection'
	assert_line --index 2 "We have accepted a connection from ('127.0.0.1', $port)"
	assert_line --index 3 "  Socket name: ('127.0.0.1', $SRV_PORT)"
	assert_line --index 4 "  Socket peer: ('127.0.0.1', $port)"
	assert_line --index 5 "  Incoming sixteen-octet message: b'Hi there, server'"
	assert_line --index 6 '  Reply sent, socket closed'
	wait_for_line "$SRV_OUT" '^Waiting to accept a new connection$'
}

@test "tcp_sixteen client prints its socket name and the server's farewell" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	run bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^Client has been assigned socket name $LOCAL$"
	assert_line --index 1 "The server said b'Farewell, client'"
	assert_equal "${#lines[@]}" 2
}

@test "tcp-server and tcp-client make the tcp_sixteen exchange" {
	start_server SRV netdemo tcp-server -p 0
	run bounded netdemo tcp-client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 "The server said b'Farewell, client'"
	wait_for_line "$SRV_OUT" "^  Incoming sixteen-octet message: b'Hi there, server'$"
}

@test "tcp_sixteen server sets SO_REUSEADDR: it restarts at once on its port" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	port=$SRV_PORT
	run bounded tcp_sixteen client 127.0.0.1 -p "$port"
	assert_success
	# The server closed first, so its side of the connection is in
	# TIME_WAIT: only SO_REUSEADDR lets a new server bind the port now.
	stop_server SRV
	start_server SRV2 tcp_sixteen server 127.0.0.1 -p "$port"
	assert_equal "$SRV2_PORT" "$port"
}

@test "tcp_sixteen client explains a server that closes early" {
	start_server SRV peer tcp-sixteen-server -p 0 --close-after 5
	run --separate-stderr bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
	assert_failure 1
	assert_equal "$stderr" "tcp_sixteen: recv from ('127.0.0.1', $SRV_PORT): EOFError: was expecting 16 bytes but only received 5 bytes before the socket closed"
}

@test "tcp_sixteen server explains a client that closes early, and goes on" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	printf 'Hi th' | timeout 5 nc -q 0 127.0.0.1 "$SRV_PORT" >/dev/null
	wait_for_line "$SRV_ERR" "^tcp_sixteen: recv from $LOCAL: EOFError: was expecting 16 bytes but only received 5 bytes before the socket closed$"
	run bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 "The server said b'Farewell, client'"
}

@test "tcp_sixteen client works against an independent server" {
	start_server SRV peer tcp-sixteen-server -p 0 --count 1
	run bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 "The server said b'Farewell, client'"
	wait_for_line "$SRV_OUT" "b'Hi there, server'"
}

@test "tcp_sixteen server answers an independent client, nc and socat" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	assert_output "b'Farewell, client'"
	run bash -c "printf 'Hi there, server' | timeout 5 nc -q 1 127.0.0.1 $SRV_PORT"
	assert_output 'Farewell, client'
	run bash -c "printf 'Hi there, server' | timeout 5 socat - TCP:127.0.0.1:$SRV_PORT"
	assert_output 'Farewell, client'
}

@test "tcp_sixteen server serves many clients at once" {
	start_server SRV tcp_sixteen server 127.0.0.1 -p 0
	# One client connects and stays silent; the others are not held up.
	exec 4<>/dev/tcp/127.0.0.1/"$SRV_PORT"
	for i in 1 2 3 4 5; do
		run bounded tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
		assert_success
	done
	exec 4>&-
	run grep -c '^  Reply sent, socket closed$' "$SRV_OUT"
	assert_output 5
}

# ------------------------------------------------------------- tcp_deadlock

@test "tcp_deadlock client prints the book's five lines" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	run bounded tcp_deadlock client 127.0.0.1 32 -p "$SRV_PORT"
	assert_success
	assert_output "Sending 32 bytes of data, in chunks of 16 bytes
  32 bytes sent
Receiving all the data the server sends back
  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!'
  32 bytes received"
}

@test "tcp_deadlock server prints the book's lines per connection" {
	start_server SRV tcp_deadlock server '' -p 0
	run bounded tcp_deadlock client 127.0.0.1 32 -p "$SRV_PORT"
	assert_success
	wait_for_line "$SRV_OUT" '^  Socket closed$'
	run cat "$SRV_OUT"
	assert_line --index 0 "Listening at ('0.0.0.0', $SRV_PORT)"
	assert_line --index 1 --regexp "^Processing up to 1024 bytes at a time from $LOCAL$"
	assert_line --index 2 '  32 bytes processed so far'
	assert_line --index 3 '  Socket closed'
}

@test "tcp_deadlock client rounds the byte count up to a multiple of 16" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	run bounded tcp_deadlock client 127.0.0.1 17 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 'Sending 32 bytes of data, in chunks of 16 bytes'
	run bounded tcp_deadlock client 127.0.0.1 -p "$SRV_PORT"
	assert_line --index 0 'Sending 16 bytes of data, in chunks of 16 bytes'
	assert_line --index 3 "  The first data received says b'CAPITALIZE THIS!'"
}

@test "tcp_deadlock shows only the first 42 bytes received, as the book" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	run bounded tcp_deadlock client 127.0.0.1 100000 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 '  100000 bytes sent'
	assert_line --index 3 "  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!CAPITALIZE'"
	assert_line --index 4 '  100000 bytes received'
}

@test "tcp_deadlock on a pipe prints only the final counter, no carriage return" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	bounded tcp_deadlock client 127.0.0.1 100000 -p "$SRV_PORT" >"$BATS_TEST_TMPDIR/out"
	run grep -c $'\r' "$BATS_TEST_TMPDIR/out"
	assert_output 0
	stop_server SRV
	run grep -c $'\r' "$SRV_OUT"
	assert_output 0
}

@test "tcp_deadlock on a terminal redraws its counter with \\r" {
	command -v script >/dev/null || skip "script(1) is not installed"
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	TERM=dumb timeout -k 2 10 script -qec "$NETDEMO tcp_deadlock client 127.0.0.1 2000000 -p $SRV_PORT" /dev/null \
	    </dev/null >"$BATS_TEST_TMPDIR/tty" 3>&-
	# What the screen shows: the text after the last \r of each line.
	run bash -c "tr -d '\n' <'$BATS_TEST_TMPDIR/tty' | tr '\r' '\n' | grep -c 'bytes sent'"
	assert [ "$output" -ge 1 ]
	run bash -c "sed 's/.*\r\(.\)/\1/' '$BATS_TEST_TMPDIR/tty' | tr -d '\r'"
	assert_line --index 1 '  2000000 bytes sent'
	assert_line --index 4 '  2000000 bytes received'
}

@test "tcp_deadlock with a large count stalls both sides, as the book shows" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	SECONDS=0
	run --separate-stderr bounded tcp_deadlock client 127.0.0.1 1073741824 --stall 2 -p "$SRV_PORT"
	assert_failure 3
	assert [ "$SECONDS" -le 5 ]
	assert_line --index 0 'Sending 1073741824 bytes of data, in chunks of 16 bytes'
	assert_line --index 1 --regexp '^  [0-9]+ bytes sent$'
	sent=$(sed -n 's/^  \([0-9]*\) bytes sent$/\1/p' <<<"$output")
	assert [ "$sent" -lt 1073741824 ]
	[[ $stderr == *"tcp_deadlock: no progress for 2 seconds: sent $sent of 1073741824 bytes, received 0"* ]]
	[[ $stderr == *"--full-duplex"* ]]
}

@test "tcp-server --mode upper and tcp-client --mode upper make the same exchange" {
	start_server SRV netdemo tcp-server --mode upper -p 0
	run bounded netdemo tcp-client --mode upper -n 32 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 3 "  The first data received says b'CAPITALIZE THIS!CAPITALIZE THIS!'"
	wait_for_line "$SRV_OUT" '^  32 bytes processed so far$'
}

@test "tcp_deadlock client works against an independent server" {
	start_server SRV peer tcp-upper-server -p 0 --count 1
	run bounded tcp_deadlock client 127.0.0.1 64 -p "$SRV_PORT"
	assert_success
	assert_line --index 4 '  64 bytes received'
}

@test "tcp_deadlock server echoes upper case to an independent client and socat" {
	start_server SRV tcp_deadlock server 127.0.0.1 -p 0
	run peer tcp-upper-client -p "$SRV_PORT" -n 1000000
	assert_success
	assert_line 'matched: yes'
	run bash -c "printf 'capitalize this!' | timeout 5 socat - TCP:127.0.0.1:$SRV_PORT"
	assert_output 'CAPITALIZE THIS!'
}
