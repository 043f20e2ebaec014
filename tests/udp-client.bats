#!/usr/bin/env bats
# udp-client: every option, its errors and conflicts; refused, no answer
# and unreachable told apart; IPv6, link-local zones, names of both families.

load test_helper/common
load test_helper/native
load test_helper/udpclient

setup_file() {
	nd_setup_links
}

teardown() {
	stop_servers
	ns_cleanup
}

LOCAL="\('127\.0\.0\.1', [0-9]+\)"
NOW='[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]{6})?'

# ------------------------------------------------------------------ help

@test "udp-client --help lists every option" {
	run bounded netdemo udp-client --help
	assert_success
	assert_line --index 0 'usage: netdemo udp-client [options] [HOST]'
	for opt in '-m, --message TEXT' '--promiscuous' '--backoff FIRST,MAX' \
	    '--broadcast' '--send-only' '-c, --count N' '-i, --interval SECS' \
	    '-W, --wait SECS' '--loop' '-s, --source ADDR' \
	    '-I, --interface IFACE' '--tos N' '--ttl N' '--report SECS' \
	    '-p, --port PORT' '-4 ' '-6 ' '--json' '-q, --quiet' \
	    '-h, --help'; do
		assert_line --partial "  $opt"
	done
}

# --------------------------------------------------------- usage errors

@test "udp-client rejects a bad --backoff or port" {
	usage_error "netdemo udp-client: error: argument --backoff: invalid backoff value: '1' (must be FIRST,MAX or 0)" netdemo udp-client --backoff 1
	usage_error "netdemo udp-client: error: argument --backoff: invalid backoff value: '0.5,0.1' (must be 0 < FIRST <= MAX <= 3600)" netdemo udp-client --backoff 0.5,0.1
	usage_error "netdemo udp-client: error: argument --backoff: invalid backoff value: 'a,b'" netdemo udp-client --backoff a,b
	usage_error "netdemo udp-client: error: argument --backoff: invalid backoff value: '0,1' (must be 0 < FIRST <= MAX <= 3600)" netdemo udp-client --backoff 0,1
	usage_error "netdemo udp-client: error: argument -p/--port: a client needs a port from 1 to 65535" netdemo udp-client -p 0
	usage_error "netdemo udp-client: error: argument -m/--message: expected one argument" netdemo udp-client -m
	usage_error "netdemo udp-client: error: unrecognized arguments: extra" netdemo udp-client 127.0.0.1 extra
}

@test "udp-client says which options conflict" {
	usage_error 'netdemo udp-client: error: cannot use --broadcast with --promiscuous' netdemo udp-client --broadcast --promiscuous
	usage_error 'netdemo udp-client: error: cannot use --backoff with --broadcast' netdemo udp-client --broadcast --backoff 0.1,1
	usage_error 'netdemo udp-client: error: cannot use --broadcast with -6' netdemo udp-client --broadcast -6
	usage_error 'netdemo udp-client: error: cannot use -4 with -6' netdemo udp-client -4 -6
	usage_error 'udp_local: error: cannot use --broadcast with --promiscuous' udp_local client --broadcast
	usage_error 'netdemo udp-client: error: cannot use --interval without --count' netdemo udp-client -i 0.5
	usage_error 'netdemo udp-client: error: cannot use --backoff with --count or --wait' netdemo udp-client -c 2 --backoff 0.1,1
	usage_error 'netdemo udp-client: error: cannot use --backoff with --count or --wait' netdemo udp-client -W 1 --backoff 0.1,1
	usage_error 'netdemo udp-client: error: cannot use --send-only with --count, --wait, --backoff or --flood' netdemo udp-client --send-only -c 2
	usage_error 'netdemo udp-client: error: cannot use --flood with --count or --wait' netdemo udp-client --flood 1 -c 2
	usage_error 'netdemo udp-client: error: cannot use --flood with --source, --interface, --tos or --ttl' netdemo udp-client --flood 1 --ttl 3
	usage_error 'netdemo udp-client: error: cannot use --loop without a multicast group' netdemo udp-client --loop
	usage_error 'netdemo udp-client: error: cannot use --backoff, --promiscuous or --flood with a multicast group' netdemo udp-client 239.1.2.3 --backoff 1,2
	usage_error 'netdemo udp-client: error: an IPv6 group needs an interface: GROUP%IFACE, or -I IFACE' netdemo udp-client ff02::1:3
	usage_error 'netdemo udp-client: error: cannot use --broadcast with an IPv6 address' netdemo udp-client --broadcast ::1
	usage_error 'netdemo udp-client: error: argument -W/--wait: a series waits at most 255 intervals (-i 0.01: --wait 2.55)' netdemo udp-client -c 1000 -i 0.01 -W 3
}

@test "udp-client: a literal of the other family than -4, -6 or --source is a usage error" {
	usage_error "netdemo udp-client: error: cannot use -6 with the IPv4 address '127.0.0.1'" netdemo udp-client -6 127.0.0.1
	usage_error "netdemo udp-client: error: cannot use -4 with the IPv6 address '::1'" netdemo udp-client -4 ::1
	usage_error "netdemo udp-client: error: cannot use -4 with the IPv6 address 'fe80::1%lo'" netdemo udp-client -4 fe80::1%lo
	usage_error "netdemo udp-client: error: cannot use the source '::1' with '127.0.0.1': not the same address family" netdemo udp-client -s ::1 127.0.0.1
	usage_error "netdemo udp-client: error: cannot use -6 with the IPv4 source '127.0.0.1'" netdemo udp-client -6 -s 127.0.0.1
	usage_error "netdemo udp-client: error: cannot use -4 with the IPv6 source '::1'" netdemo udp-client -4 -s ::1
	usage_error "netdemo udp-client: error: argument -I/--interface: no such interface: 'nosuch0'" netdemo udp-client -I nosuch0
	usage_error "netdemo udp-client: error: argument --tos: invalid byte value: '256' (must be 0 to 255, or 0x00 to 0xff)" netdemo udp-client --tos 256
}

@test "udp-client -6 without a host talks to ::1, and an IPv6 --source picks ::1 too" {
	start_server SRV netdemo udp-server -6 -p 0
	run bounded netdemo udp-client -6 -p "$SRV_PORT" -m six
	assert_success
	assert_line --index 2 "The server says 'Your data was 3 bytes long'"
	run bounded netdemo udp-client -s ::1 -p "$SRV_PORT" -m six
	assert_success
	assert_line --index 0 --regexp "^Client socket name is \('::1', [0-9]+, 0, 0\)$"
	assert_line --index 2 "The server says 'Your data was 3 bytes long'"
}

@test "udp-client: a bad --source is an error before any datagram leaves" {
	start_server SRV netdemo udp-server -p 0
	run --separate-stderr bounded netdemo udp-client -s 192.0.2.77 -p "$SRV_PORT" -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: bind to ('192.0.2.77', 0): OSError: [Errno 99] Cannot assign requested address
netdemo udp-client: hint: that address is not on any interface of this machine"
	run --separate-stderr bounded netdemo udp-client -s no.such.host.invalid -p "$SRV_PORT" -m x
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "netdemo udp-client: resolve ('no.such.host.invalid', 0): socket.gaierror: [Errno -2] Name or service not known"
	assert_output ''
	run grep -c 'The client at' "$SRV_OUT"
	assert_output 0
}

@test "udp-client says 1 try and 1 second, and tries in the plural" {
	start_server SRV peer udp-server -p 0 --silent
	run --separate-stderr bounded netdemo udp-client --backoff 1,1 -p "$SRV_PORT" -m x
	assert_failure 3
	assert_equal "$(tail -1 <<<"$stderr")" "netdemo udp-client: hint: no reply from ('127.0.0.1', $SRV_PORT) in 1 try over 1 second; is a server running there, and does a firewall let UDP through?"
	run --separate-stderr bounded netdemo udp-client -W 0.5 -p "$SRV_PORT" -m x
	assert_failure 3
	assert_equal "$(tail -1 <<<"$stderr")" "netdemo udp-client: hint: no reply from ('127.0.0.1', $SRV_PORT) in 1 try over 0.5 seconds; is a server running there, and does a firewall let UDP through?"
	assert_line --index 1 'Waiting up to 0.5 seconds for a reply'
}

# ------------------------------------------------------------ the basics

@test "udp-client is connected by default and prints the book's lines" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp "^Client socket name is $LOCAL$"
	assert_line --index 1 'Waiting up to 0.1 seconds for a reply'
	assert_line --index 2 --regexp "^The server says 'Your data was (38|31) bytes long'$"
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says 'The time is $NOW'$"
}

@test "udp-client -m sends the text given" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -p "$SRV_PORT" -m "it's me"
	assert_success
	assert_line --index 2 "The server says 'Your data was 7 bytes long'"
	wait_for_line "$SRV_OUT" "says \"it's me\"$"
}

@test "udp-client --promiscuous takes a reply from anyone (the book's danger)" {
	start_server SRV peer udp-server -p 0 --silent
	bounded netdemo udp-client --promiscuous --backoff 0 -p "$SRV_PORT" -m x \
	    >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	cpid=$!
	wait_for_line "$SRV_OUT" "^The client at \('127\.0\.0\.1', ([0-9]+)\) says 'x'$"
	cport=${BASH_REMATCH[1]}
	# Not the server: a stranger, from another port.
	stranger=$(python3 -c '
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.bind(("127.0.0.1", 0))
s.sendto(b"Not the server", ("127.0.0.1", int(sys.argv[1])))
print(s.getsockname()[1])' "$cport")
	wait "$cpid"
	run cat "$BATS_TEST_TMPDIR/c.out"
	assert_line --index 0 "The OS assigned me the address ('0.0.0.0', $cport)"
	assert_line --index 1 "The server ('127.0.0.1', $stranger) replied 'Not the server'"
}

@test "udp-client connected takes no stranger's datagram for the reply, and names it" {
	start_server SRV peer udp-server -p 0 --silent
	send_when_told "$BATS_TEST_TMPDIR/s" 127.0.0.1 'Not the server'
	bounded netdemo udp-client --backoff 3,3 -p "$SRV_PORT" -m x \
	    >"$BATS_TEST_TMPDIR/c.out" 2>"$BATS_TEST_TMPDIR/c.err" 3>&- &
	cpid=$!
	wait_for_line "$SRV_OUT" "^The client at \('127\.0\.0\.1', ([0-9]+)\) says 'x'$"
	tell_port "$BATS_TEST_TMPDIR/s" "${BASH_REMATCH[1]}"
	status=0
	wait "$cpid" || status=$?
	assert_equal "$status" 4
	run grep -c 'Not the server' "$BATS_TEST_TMPDIR/c.out"
	assert_output 0
	wait_for_line "$BATS_TEST_TMPDIR/s/from" '^[0-9]+$'
	run head -1 "$BATS_TEST_TMPDIR/c.err"
	assert_output "netdemo udp-client: no reply from ('127.0.0.1', $SRV_PORT), but a datagram came back from ('127.0.0.1', $ND_LINE)"
}

@test "udp-client --backoff FIRST,MAX doubles the wait up to MAX, then gives up" {
	start_server SRV peer udp-server -p 0 --silent
	SECONDS=0
	run --separate-stderr bounded netdemo udp-client --backoff 0.05,0.4 -p "$SRV_PORT" -m x
	assert_failure 3
	assert_line --index 1 'Waiting up to 0.05 seconds for a reply'
	assert_line --index 2 'Waiting up to 0.1 seconds for a reply'
	assert_line --index 3 'Waiting up to 0.2 seconds for a reply'
	assert_line --index 4 'Waiting up to 0.4 seconds for a reply'
	assert_equal "${#lines[@]}" 5
	assert [ "$SECONDS" -le 3 ]
	assert_equal "$stderr" "netdemo udp-client: I think the server is down
netdemo udp-client: hint: no reply from ('127.0.0.1', $SRV_PORT) in 4 tries over 0.75 seconds; is a server running there, and does a firewall let UDP through?"
	wait_for_line "$SRV_OUT" 'x'
	run grep -c "says 'x'" "$SRV_OUT"
	assert_output 4
}

@test "udp-client --backoff 0 sends once and waits for ever" {
	start_server SRV peer udp-server -p 0 --silent
	timeout --foreground -k "$ND_STOP_TIMEOUT" 20 "$NETDEMO" udp-client --backoff 0 -p "$SRV_PORT" -m x \
	    >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	cpid=$!
	wait_for_line "$SRV_OUT" "says 'x'"
	sleep 2.5
	assert _nd_alive "$cpid"
	kill -INT "$cpid"
	status=0
	wait "$cpid" || status=$?
	assert_equal "$status" 130
	run grep -c "says 'x'" "$SRV_OUT"
	assert_output 1
	run grep -c Waiting "$BATS_TEST_TMPDIR/c.out"
	assert_output 0
}

@test "udp-client --broadcast --send-only sends the book's datagram and waits for nothing" {
	start_server SRV netdemo udp-server --no-reply -p 0
	run bounded netdemo udp-client --broadcast --send-only -p "$SRV_PORT"
	assert_success
	assert_output ''
	wait_for_line "$SRV_OUT" "^The client at $LOCAL says: 'Broadcast datagram!'$"
}

@test "udp-client --broadcast --send-only reaches a LAN's broadcast address" {
	ns_need
	ns_add "nd-uc-$$"
	ns_add "nd-uc2-$$"
	ns_veth "nd-uc-$$" 10.72.0.1/24 "nd-uc2-$$" 10.72.0.2/24
	ip netns exec "nd-uc2-$$" timeout -k 2 20 "$NETDEMO" udp-server --no-reply '' -p 7000 -c 1 \
	    >"$BATS_TEST_TMPDIR/out" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '^Listening for datagrams'
	run ip netns exec "nd-uc-$$" timeout -k 2 5 "$NETDEMO" udp-client --broadcast --send-only 10.72.0.255 -p 7000
	assert_success
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 1 --regexp "^The client at \('10\.72\.0\.1', [0-9]+\) says: 'Broadcast datagram!'$"
}

# ------------------------------------------- refused, silent, unreachable

@test "udp-client: nobody listening is refused at once, exit 1" {
	port=$(free_port udp)
	SECONDS=0
	run --separate-stderr bounded netdemo udp-client -p "$port" -m x
	assert_failure 1
	assert [ "$SECONDS" -le 1 ]
	assert_equal "$stderr" "netdemo udp-client: recv from ('127.0.0.1', $port): ConnectionRefusedError: [Errno 111] Connection refused
netdemo udp-client: hint: is a server running on that port?"
}

@test "udp-client: a socket that never answers is no answer, exit 3" {
	# Bound, so no ICMP comes back: only silence.
	start_server SRV peer udp-server -p 0 --silent
	SECONDS=0
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" -m x
	assert_failure 3
	assert [ "$SECONDS" -ge 3 ]
	assert [ "$SECONDS" -le 5 ]
	assert_equal "$(head -1 <<<"$stderr")" 'netdemo udp-client: I think the server is down'
	assert_line --index 5 'Waiting up to 1.6 seconds for a reply'
}

@test "udp-client: no route to the network is unreachable, exit 1" {
	ns_need
	ns_add "nd-uc-$$"
	run --separate-stderr ip netns exec "nd-uc-$$" timeout -k 2 5 "$NETDEMO" udp-client 10.73.0.9 -p 7000 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: connect to ('10.73.0.9', 7000): OSError: [Errno 101] Network is unreachable
netdemo udp-client: hint: no route leads there; check the address and the routing table"
}

@test "udp-client: ICMP host or network unreachable from the far side, exit 1" {
	ns_need
	command -v nft >/dev/null || skip "needs nft"
	ns_add "nd-uc-$$"
	ns_add "nd-uc2-$$"
	ns_veth "nd-uc-$$" 10.74.0.1/24 "nd-uc2-$$" 10.74.0.2/24
	ip -n "nd-uc-$$" addr add fd74::1/64 dev v0 nodad
	ip -n "nd-uc2-$$" addr add fd74::2/64 dev v1 nodad
	# The far side answers as a router would for a host it cannot reach.
	ip netns exec "nd-uc2-$$" nft -f - <<-'EOF' || skip "nftables does not work here"
	table inet nd {
		chain in {
			type filter hook input priority 0;
			udp dport 7001 reject with icmp type host-unreachable
			udp dport 7002 reject with icmp type net-unreachable
			udp dport 7003 reject with icmpv6 type addr-unreachable
		}
	}
	EOF
	run --separate-stderr ip netns exec "nd-uc-$$" timeout -k 2 5 "$NETDEMO" udp-client 10.74.0.2 -p 7001 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('10.74.0.2', 7001): ICMP host unreachable from ('10.74.0.2', 0): OSError: [Errno 113] No route to host
netdemo udp-client: hint: the host did not answer on its network; check the address"
	run --separate-stderr ip netns exec "nd-uc-$$" timeout -k 2 5 "$NETDEMO" udp-client 10.74.0.2 -p 7002 -m x
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "netdemo udp-client: recv from ('10.74.0.2', 7002): ICMP network unreachable from ('10.74.0.2', 0): OSError: [Errno 101] Network is unreachable"
	run --separate-stderr ip netns exec "nd-uc-$$" timeout -k 2 5 "$NETDEMO" udp-client fd74::2 -p 7003 -m x
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "netdemo udp-client: recv from ('fd74::2', 7003, 0, 0): ICMP address unreachable from ('fd74::2', 0, 0, 0): OSError: [Errno 113] No route to host"
}

# ------------------------------------------------------------------ IPv6

@test "udp-client -6 talks to ::1 and prints Python's four-tuples" {
	start_server SRV netdemo udp-server -6 -p 0
	run bounded netdemo udp-client -6 -p "$SRV_PORT" -m six
	assert_success
	assert_line --index 0 --regexp "^Client socket name is \('::1', [0-9]+, 0, 0\)$"
	assert_line --index 2 "The server says 'Your data was 3 bytes long'"
	run bounded netdemo udp-client ::1 --promiscuous --backoff 0 -p "$SRV_PORT" -m six
	assert_success
	assert_line --index 0 --regexp "^The OS assigned me the address \('::', [0-9]+, 0, 0\)$"
	assert_line --index 1 "The server ('::1', $SRV_PORT, 0, 0) replied 'Your data was 3 bytes long'"
}

@test "udp-client takes an IPv6 reply of 65527 bytes whole" {
	# The largest UDP payload IPv6 carries, 20 bytes over IPv4's.
	start_server SRV python3 -c '
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.bind(("::1", 0))
print("Listening at", s.getsockname()[:2], flush=True)
_, peer = s.recvfrom(65535)
s.sendto(b"x" * 65527, peer)
'
	run bounded netdemo udp-client -6 ::1 -p "$SRV_PORT" --json
	assert_success
	assert_line --regexp '^\{"event": ?"reply".*"bytes": ?65527\}$'
}

@test "udp-client reaches a link-local address through its zone" {
	ns_need
	ns_add "nd-uc-$$"
	ns_add "nd-uc2-$$"
	ns_veth "nd-uc-$$" fe80::1/64 "nd-uc2-$$" fe80::2/64
	ip netns exec "nd-uc2-$$" timeout -k 2 20 "$NETDEMO" udp-server 'fe80::2%v1' -p 7000 -c 1 \
	    >"$BATS_TEST_TMPDIR/out" 3>&- &
	pid=$!
	wait_for_line "$BATS_TEST_TMPDIR/out" '^Listening'
	assert_equal "$ND_LINE" "Listening at ('fe80::2%v1', 7000, 0, $(ip netns exec "nd-uc2-$$" cat /sys/class/net/v1/ifindex))"
	run ip netns exec "nd-uc-$$" timeout -k 2 5 "$NETDEMO" udp-client 'fe80::2%v0' -p 7000 -m zone
	assert_success
	assert_line --index 0 --regexp "^Client socket name is \('fe80::[0-9a-f:]+%v0', [0-9]+, 0, [0-9]+\)$"
	# The first datagram may wait for neighbour discovery: a retry or two.
	assert_equal "${lines[-1]}" "The server says 'Your data was 4 bytes long'"
	wait "$pid"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_line --index 1 --regexp "^The client at \('fe80::[0-9a-f:]+%v1', [0-9]+, 0, [0-9]+\) says 'zone'$"
}

@test "udp-client tries each address of a name in order until one answers" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	start_server SRV netdemo udp-server 127.0.0.1 -p 0
	printf '::1 dual.test\n127.0.0.1 dual.test\n' >"$BATS_TEST_TMPDIR/hosts"
	run --separate-stderr with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 5 "$NETDEMO" udp-client dual.test -p "$SRV_PORT" -m hi
	assert_success
	assert_line --index 0 --regexp "^Client socket name is \('::1', [0-9]+, 0, 0\)$"
	assert_line --index 2 --regexp "^Client socket name is $LOCAL$"
	assert_line --index 4 "The server says 'Your data was 2 bytes long'"
	assert_equal "$stderr" "netdemo udp-client: recv from ('::1', $SRV_PORT, 0, 0): ConnectionRefusedError: [Errno 111] Connection refused
netdemo udp-client: hint: trying the next address of 'dual.test': ('127.0.0.1', $SRV_PORT)"
}

@test "udp-client -4 takes only the IPv4 address of a name" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	start_server SRV netdemo udp-server 127.0.0.1 -p 0
	printf '::1 dual.test\n127.0.0.1 dual.test\n' >"$BATS_TEST_TMPDIR/hosts"
	run --separate-stderr with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 5 "$NETDEMO" udp-client -4 dual.test -p "$SRV_PORT" -m hi
	assert_success
	assert_line --index 0 --regexp "^Client socket name is $LOCAL$"
	assert_equal "$stderr" ''
}
