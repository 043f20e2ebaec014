#!/usr/bin/env bats
# tcp-client on real paths: host A - router R - host B in namespaces built
# per test (test_helper/netns.bash).  A dropped SYN ends within --stall
# (exit 3), ICMP errors are named with the router that sent them, --mode
# connect against services netdemo did not write, and -s, -I, --tos, --ttl
# seen where the packets arrive.  They need root and skip without it.

load test_helper/common
load test_helper/native
load test_helper/netns

setup_file() {
	nd_setup_links
}

setup() {
	netns_require nft
	netns_topology 1500 1500
}

# client ARGS...: netdemo tcp-client run in A, bounded.
client() {
	in_ns "$NS_A" "$NETDEMO" tcp-client "$@"
}

# listen_b PORT: socat on B accepting on PORT (every address, both
# families) and echoing, a service netdemo did not write.
listen_b() {
	local pid
	ip netns exec "$NS_B" timeout -k 2 60 socat \
	    "TCP6-LISTEN:$1,fork,reuseaddr,ipv6-v6only=0" EXEC:cat \
	    </dev/null >/dev/null 2>&1 3>&- &
	ND_SERVER_PIDS+=("$!")
	# Listening once ss in B shows the socket.
	wait_ss "$NS_B" "$1"
}

# wait_ss NS PORT: until a TCP socket listens on PORT in NS (5 s at most).
wait_ss() {
	local i
	for ((i = 0; i < 250; i++)); do
		ip netns exec "$1" ss -Hltn "sport = :$2" | grep -q . && return 0
		sleep 0.02
	done
	echo "nothing listens on port $2 in $1" >&2
	return 1
}

# nft_in NS RULES: an nftables table of RULES in NS (inet family).
nft_in() {
	ip netns exec "$1" nft -f - <<<"$2"
}

# drop_syn NS ADDR PORT: NS drops the connection requests to ADDR:PORT.
drop_syn() {
	nft_in "$1" "table inet nd_drop {
	chain forward {
		type filter hook forward priority 0; policy accept;
		ip daddr $2 tcp dport $3 tcp flags syn drop
		ip6 daddr $2 tcp dport $3 tcp flags syn drop
	}
}" 2>/dev/null || nft_in "$1" "table inet nd_drop {
	chain forward {
		type filter hook forward priority 0; policy accept;
		$([[ $2 == *:* ]] && echo ip6 || echo ip) daddr $2 tcp dport $3 tcp flags syn drop
	}
}"
}

# --------------------------------------------------------- a dropped SYN

@test "tcp-client gives up on a dropped SYN within --stall, exit 3, and says no answer came" {
	drop_syn "$NS_R" "$B4" 7000
	SECONDS=0
	run --separate-stderr client "$B4" -p 7000 --stall 1
	assert_failure 3
	assert [ "$SECONDS" -le 3 ]
	assert_equal "$stderr" "netdemo tcp-client: connect to ('$B4', 7000): no answer to the connection request in 1 second (see --stall)
netdemo tcp-client: hint: a firewall may be dropping it, or no host has that address; --stall 0 waits as long as the system does"
	# Every mode, and --repeat per exchange (which stops after the
	# first: nobody answers).
	for mode in upper connect; do
		SECONDS=0
		run -3 client "$B4" -p 7000 --stall 0.5 --mode "$mode"
		assert [ "$SECONDS" -le 2 ]
	done
	SECONDS=0
	run --separate-stderr client "$B4" -p 7000 --stall 0.5 --mode connect --repeat 2
	assert_failure 3
	assert [ "$SECONDS" -le 3 ]
	assert_line --index 0 "Connecting to ('$B4', 7000) 2 times, 1 at a time"
	assert_line --index 1 --regexp '^  0 connections per second: 0 in [0-9.]+ seconds, 1 failed$'
	assert_line --index 2 '  Handshake: p50 n/a us, p99 n/a us'
	assert_equal "$(head -1 <<<"$stderr")" "netdemo tcp-client: connect to ('$B4', 7000): no answer to the connection request in 0.5 seconds (see --stall)"
}

@test "tcp-client waits 5 s by default for the answer to its connection request" {
	drop_syn "$NS_R" "$B6" 7000
	SECONDS=0
	run --separate-stderr client "$B6" -p 7000 --mode connect
	assert_failure 3
	assert [ "$SECONDS" -ge 5 ]
	assert [ "$SECONDS" -le 7 ]
	assert_equal "$(head -1 <<<"$stderr")" "netdemo tcp-client: connect to ('$B6', 7000, 0, 0): no answer to the connection request in 5 seconds (see --stall)"
}

@test "tcp-client moves on from a dropped address of a name to the next, and says so" {
	drop_syn "$NS_R" "$B6" 7000
	listen_b 7000
	printf '%s two.test\n%s two.test\n' "$B6" "$B4" >"$BATS_TEST_TMPDIR/hosts"
	SECONDS=0
	run --separate-stderr with_hosts "$BATS_TEST_TMPDIR/hosts" \
	    timeout -k 2 10 ip netns exec "$NS_A" "$NETDEMO" tcp-client two.test -p 7000 --mode connect --stall 1
	assert_success
	assert [ "$SECONDS" -le 3 ]
	assert_output --regexp "^Connected to \('$B4', 7000\) from \('$A4', [0-9]+\) in [0-9.]+ us$"
	assert_equal "$stderr" "netdemo tcp-client: connect to ('$B6', 7000, 0, 0): no answer to the connection request in 1 second (see --stall)
netdemo tcp-client: hint: trying the next address of 'two.test': ('$B4', 7000)"
}

# ------------------------------------------------------------ ICMP named

@test "tcp-client names a firewall's admin-prohibited reject and the router that sent it" {
	nft_in "$NS_R" "table inet nd_reject {
	chain forward {
		type filter hook forward priority 0; policy accept;
		tcp dport 7000 reject with icmpx type admin-prohibited
	}
}"
	listen_b 7000
	run --separate-stderr client "$B4" -p 7000
	assert_failure 1
	assert_equal "$stderr" "netdemo tcp-client: connect to ('$B4', 7000): ICMP administratively prohibited from ('$R4', 0): OSError: [Errno 113] No route to host
netdemo tcp-client: hint: a firewall at ('$R4', 0) rejects this traffic; check its rules for this port"
	run --separate-stderr client "$B6" -p 7000 --mode connect
	assert_failure 1
	assert_equal "$stderr" "netdemo tcp-client: connect to ('$B6', 7000, 0, 0): ICMP administratively prohibited from ('$R6', 0, 0, 0): PermissionError: [Errno 13] Permission denied
netdemo tcp-client: hint: a firewall at ('$R6', 0, 0, 0) rejects this traffic; check its rules for this port"
	# Scripts get the ICMP message and its sender in the error event.
	run -1 --separate-stderr client "$B4" -p 7000 --json --mode connect
	assert_output --regexp '^\{"event": "error", "message": "connect to \('"'$B4'"', 7000\): ICMP administratively prohibited from \('"'$R4'"', 0\)", "exception": "OSError", "errno": 113, "strerror": "No route to host", "icmp": "administratively prohibited", "from": \{"host": "'"$R4"'", "port": 0\}, "hint": "a firewall at .*", "exit": 1\}$'
	echo "$output" >"$BATS_TEST_TMPDIR/e.json"
	run json_check "$BATS_TEST_TMPDIR/e.json"
	assert_success
}

@test "tcp-client names a router with no route onward" {
	run --separate-stderr client 10.0.3.2 -p 7000 --mode connect
	assert_failure 1
	assert_equal "$stderr" "netdemo tcp-client: connect to ('10.0.3.2', 7000): ICMP network unreachable from ('$R4', 0): OSError: [Errno 101] Network is unreachable
netdemo tcp-client: hint: the router ('$R4', 0) has no route onward to that network; check the routes past it"
	run --separate-stderr client fd00:3::2 -p 7000
	assert_failure 1
	assert_equal "$(sed -n 1p <<<"$stderr")" "netdemo tcp-client: connect to ('fd00:3::2', 7000, 0, 0): ICMP no route to destination from ('$R6', 0, 0, 0): OSError: [Errno 101] Network is unreachable"
	assert_equal "$(sed -n 2p <<<"$stderr")" "netdemo tcp-client: hint: the router ('$R6', 0, 0, 0) has no route onward to that network; check the routes past it"
}

@test "tcp-client --ttl 1 through a router: time exceeded, named with the router" {
	listen_b 7000
	run --separate-stderr client "$B4" -p 7000 --ttl 1 --mode connect
	assert_failure 1
	assert_equal "$stderr" "netdemo tcp-client: connect to ('$B4', 7000): ICMP time exceeded from ('$R4', 0): OSError: [Errno 113] No route to host
netdemo tcp-client: hint: the TTL ran out at the router ('$R4', 0); raise --ttl to reach further"
	run --separate-stderr client "$B6" -p 7000 --ttl 1 --mode connect
	assert_failure 1
	assert_output ''
	[[ $stderr == *"ICMP time exceeded from ('$R6', 0, 0, 0): OSError: [Errno 113] No route to host"* ]] ||
	    fail "no time exceeded from R over IPv6: $stderr"
	run client "$B4" -p 7000 --ttl 2 --mode connect
	assert_success
	# --repeat names the router too.
	run --separate-stderr client "$B4" -p 7000 --ttl 1 --mode connect --repeat 3
	assert_failure 1
	[[ $stderr == *"connect to ('$B4', 7000): ICMP time exceeded from ('$R4', 0): OSError: [Errno 113] No route to host"* ]] ||
	    fail "--repeat did not name the router: $stderr"
}

# -------------------------------------------------- --mode connect, tcping

@test "tcp-client --mode connect times the handshake with a service netdemo did not write" {
	listen_b 7000
	run --separate-stderr client "$B4" -p 7000 --mode connect
	assert_success
	assert_output --regexp "^Connected to \('$B4', 7000\) from \('$A4', [0-9]+\) in [0-9]+(\.[0-9])? us$"
	assert_equal "$stderr" ''
	run client "$B6" -p 7000 --mode connect --json
	assert_success
	assert_output --regexp "^\{\"event\": \"connection\", \"peer\": \{\"host\": \"$B6\", \"port\": 7000\}, \"address\": \{\"host\": \"$A6\", \"port\": [0-9]+\}, \"us\": [0-9.]+, \"seq\": 1\}$"
	# Refused: the book's ConnectionRefusedError, exit 1.
	run --separate-stderr client "$B4" -p 7001 --mode connect
	assert_failure 1
	assert_equal "$(head -1 <<<"$stderr")" "netdemo tcp-client: connect to ('$B4', 7001): ConnectionRefusedError: [Errno 111] Connection refused"
}

@test "tcp-client --repeat --mode connect -i is tcping: a line per connection, then the summary" {
	local t0 t1
	listen_b 7000
	t0=${EPOCHREALTIME/[.,]/}
	run --separate-stderr client "$B4" -p 7000 --mode connect --repeat 4 -i 0.3
	t1=${EPOCHREALTIME/[.,]/}
	assert_success
	# The fourth starts 0.9 s after the first.  (Bash's SECONDS counts
	# whole seconds of the clock, and read 0 for such a run at times.)
	assert [ $((t1 - t0)) -ge 900000 ]
	assert_line --index 0 "Connecting to ('$B4', 7000) 4 times, 1 at a time"
	for i in 1 2 3 4; do
		assert_line --index "$i" --regexp "^  seq $i: connected from \('$A4', [0-9]+\) in [0-9.]+ us$"
	done
	assert_line --index 5 --regexp '^  [0-9]+ connections? per second: 4 in [0-9.]+ seconds, 0 failed$'
	assert_line --index 6 --regexp '^  Handshake: p50 [0-9.]+ us, p99 [0-9.]+ us$'
	assert_equal "${#lines[@]}" 7
	# A connection that fails is said in its place, and counted.
	run --separate-stderr client "$B4" -p 7001 --mode connect --repeat 2 -i 0.1
	assert_failure 1
	assert_equal "$(grep -c 'ConnectionRefusedError' <<<"$stderr")" 2
	assert_equal "$(tail -1 <<<"$stderr")" "netdemo tcp-client: 2 of 2 connections to ('$B4', 7001) failed"
}

# ------------------------------------------------ where packets leave from

@test "tcp-client -s chooses the address the server sees" {
	ip -n "$NS_A" addr add 10.0.1.3/24 dev a0
	ip -n "$NS_A" addr add fd00:1::3/64 dev a0 nodad
	start_json_server SRV ip netns exec "$NS_B" "$NETDEMO" tcp-server '' -p 0 --json
	run client "$B4" -p "$SRV_PORT" -s 10.0.1.3
	assert_success
	assert_line --index 0 --regexp "^Client has been assigned socket name \('10\.0\.1\.3', [0-9]+\)$"
	run client "$B4" -p "$SRV_PORT" --repeat 2 -s 10.0.1.3
	assert_success
	wait_for_line "$SRV_OUT" '"event": "summary"' 0 || true
	run grep -c '"event": "accept", "peer": {"host": "10.0.1.3"' "$SRV_OUT"
	assert_output 3
	start_json_server SRV6 ip netns exec "$NS_B" "$NETDEMO" tcp-server -6 '' -p 0 --json
	run client "$B6" -p "$SRV6_PORT" -s fd00:1::3 --mode connect
	assert_success
	wait_for_line "$SRV6_OUT" '"event": "accept", "peer": \{"host": "fd00:1::3"'
}

@test "tcp-client -I chooses the interface, and so the address the server sees" {
	# A second link, A a1 - B b1, and a route to B's network over it
	# that loses to the one through R unless the interface is chosen.
	ip -n "$NS_A" link add a1 type veth peer name b1 netns "$NS_B"
	ip -n "$NS_A" addr add 10.0.9.2/24 dev a1
	ip -n "$NS_B" addr add 10.0.9.1/24 dev b1
	ip -n "$NS_A" link set a1 up
	ip -n "$NS_B" link set b1 up
	ip -n "$NS_A" route add 10.0.2.0/24 via "$R4" dev a0 metric 10
	ip -n "$NS_A" route add 10.0.2.0/24 via 10.0.9.1 dev a1 metric 20
	start_json_server SRV ip netns exec "$NS_B" "$NETDEMO" tcp-server '' -p 0 --json
	run client "$B4" -p "$SRV_PORT" --mode connect
	assert_success
	assert_output --regexp "from \('$A4', [0-9]+\)"
	run client "$B4" -p "$SRV_PORT" --mode connect -I a1
	assert_success
	assert_output --regexp "from \('10\.0\.9\.2', [0-9]+\)"
	run client "$B4" -p "$SRV_PORT" -I a1 --repeat 2
	assert_success
	wait_for_line "$SRV_OUT" '"event": "accept", "peer": \{"host": "10.0.9.2"'
	run grep -c '"event": "accept", "peer": {"host": "10.0.9.2"' "$SRV_OUT"
	assert_output 3
	usage_error "netdemo tcp-client: error: argument -I/--interface: no such interface: 'nd-none0'" netdemo tcp-client 127.0.0.1 -I nd-none0
}

# ------------------------------------------------------- how they are marked

@test "tcp-client --tos and --ttl mark every packet, IPv4 and IPv6, as B's nftables counters see" {
	nft_in "$NS_B" "table inet nd_mark {
	counter tos4 { }
	counter ttl4 { }
	counter tos6 { }
	counter ttl6 { }
	chain input {
		type filter hook input priority 0; policy accept;
		tcp dport 7000 ip dscp ef counter name tos4
		tcp dport 7000 ip ttl 6 counter name ttl4
		tcp dport 7000 ip6 dscp ef counter name tos6
		tcp dport 7000 ip6 hoplimit 6 counter name ttl6
	}
}"
	listen_b 7000
	run client "$B4" -p 7000 --mode connect --tos 0xb8 --ttl 7
	assert_success
	run client "$B6" -p 7000 --mode connect --repeat 2 --tos 184 --ttl 7
	assert_success
	for c in tos4 ttl4 tos6 ttl6; do
		run ip netns exec "$NS_B" nft list counter inet nd_mark "$c"
		assert_output --regexp 'packets [1-9][0-9]* '
	done
	# Unmarked, nothing is counted.
	ip netns exec "$NS_B" nft reset counters table inet nd_mark >/dev/null
	run client "$B4" -p 7000 --mode connect
	assert_success
	run ip netns exec "$NS_B" nft list counter inet nd_mark tos4
	assert_output --regexp 'packets 0 '
}
