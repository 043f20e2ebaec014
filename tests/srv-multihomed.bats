#!/usr/bin/env bats
# srv-multihomed.bats: the servers on a host with several addresses and
# interfaces (SPEC section 6).  A wildcard udp-server answers from the
# address each datagram was sent to, so that a connected client (the
# default, and the book's udp_remote) takes the reply; -6 "" takes IPv6
# alone; -I confines a server to one interface's traffic; an INTERFACE
# operand that names an interface listens on its addresses.
#
# The topology, built per test in two namespaces, S (the server) and C
# (the clients), joined by two veth pairs:
#   S s0: 10.0.1.1/24 10.0.1.3/24 fd00:1::1/64 fd00:1::3/64 -- C c0: 10.0.1.2 fd00:1::2
#   S s1: 10.0.2.1/24 fd00:2::1/64                          -- C c1: 10.0.2.2 fd00:2::2
# C reaches 10.0.2.1 and fd00:2::1 through c0 (a host route), so S gets
# those datagrams on s0 and its route back leaves from s0's address.

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

setup() {
	ns_need
	S=ndmh$$x$RANDOM-S
	C=${S%-S}-C
	ns_add "$S" && ns_add "$C"
	for ns in "$S" "$C"; do
		ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
		    net.ipv6.conf.default.accept_dad=0 \
		    net.ipv6.conf.default.router_solicitations=0
	done
	ip -n "$S" link add s0 type veth peer name c0 netns "$C"
	ip -n "$S" link add s1 type veth peer name c1 netns "$C"
	ip -n "$S" addr add 10.0.1.1/24 dev s0
	ip -n "$S" addr add 10.0.1.3/24 dev s0
	ip -n "$S" addr add fd00:1::1/64 dev s0 nodad
	ip -n "$S" addr add fd00:1::3/64 dev s0 nodad
	ip -n "$S" addr add 10.0.2.1/24 dev s1
	ip -n "$S" addr add fd00:2::1/64 dev s1 nodad
	ip -n "$C" addr add 10.0.1.2/24 dev c0
	ip -n "$C" addr add fd00:1::2/64 dev c0 nodad
	ip -n "$C" addr add 10.0.2.2/24 dev c1
	ip -n "$C" addr add fd00:2::2/64 dev c1 nodad
	ip -n "$S" link set s0 up
	ip -n "$S" link set s1 up
	ip -n "$C" link set c0 up
	ip -n "$C" link set c1 up
	ip -n "$C" route add 10.0.2.1/32 via 10.0.1.1 dev c0
	ip -n "$C" -6 route add fd00:2::1/128 via fd00:1::1 dev c0
}

teardown() {
	stop_servers
	ns_cleanup
}

# inside NS CMD...: CMD inside namespace NS, bounded.
inside() {
	local ns=$1
	shift
	timeout -k 2 "$ND_TIMEOUT" ip netns exec "$ns" "$@"
}

# serve NAME CMD...: a server inside S, as start_server starts one.
serve() {
	local name=$1
	shift
	start_server "$name" ip netns exec "$S" "$@"
}

# other_than SRC A B: of A and B, the one that is not SRC.
other_than() {
	if [[ $1 == "$2" ]]; then echo "$3"; else echo "$2"; fi
}

# preferred DEST: the source S's routes choose for a reply to DEST.
preferred() {
	ip -n "$S" route get "$1" | sed -n 's/.* src \([^ ]*\).*/\1/p'
}

@test "a wildcard udp-server answers a connected client at the second address of its interface" {
	serve SRV4 "$NETDEMO" udp-server '' -p 7000
	serve SRV6 "$NETDEMO" udp-server -6 '' -p 7006
	# The address the route would not answer from, in each family.
	v4=$(other_than "$(preferred 10.0.1.2)" 10.0.1.1 10.0.1.3)
	v6=$(other_than "$(preferred fd00:1::2)" fd00:1::1 fd00:1::3)
	run inside "$C" "$NETDEMO" udp-client "$v4" -p 7000 -m hi --backoff 0.1,0.4
	assert_success
	assert_line "The server says 'Your data was 2 bytes long'"
	run inside "$C" "$NETDEMO" udp-client "$v6" -p 7006 -m hi --backoff 0.1,0.4
	assert_success
	assert_line "The server says 'Your data was 2 bytes long'"
	run inside "$C" "$ND_BIN/udp_remote" client "$v4" -p 7000
	assert_success
	assert_line "The server says 'Your data was 23 bytes long'"
	run inside "$C" "$ND_BIN/udp_remote" client "$v6" -p 7006
	assert_success
	assert_line "The server says 'Your data was 23 bytes long'"
}

@test "a wildcard udp-server answers from the address of its other interface" {
	serve SRV4 "$NETDEMO" udp-server '' -p 7000
	serve SRV6 "$NETDEMO" udp-server -6 '' -p 7006
	# In by s0, whose route back leaves from s0's address.
	run inside "$C" "$NETDEMO" udp-client 10.0.2.1 -p 7000 -m hi --backoff 0.1,0.4
	assert_success
	assert_line "The server says 'Your data was 2 bytes long'"
	run inside "$C" "$ND_BIN/udp_remote" client fd00:2::1 -p 7006
	assert_success
	assert_line "The server says 'Your data was 23 bytes long'"
	wait_for_line "$SRV6_OUT" "^The client at \('fd00:1::2', [0-9]+, 0, 0\) says 'This is another message'$"
}

@test "a wildcard udp-server -6 answers at its link-local address, through the zone" {
	serve SRV "$NETDEMO" udp-server -6 '' -p 7006
	ll=$(ip -n "$S" -6 addr show dev s0 scope link | sed -n 's,.*inet6 \([^/]*\)/.*,\1,p')
	run inside "$C" "$NETDEMO" udp-client "$ll%c0" -p 7006 -m ll --backoff 0.1,0.4
	assert_success
	assert_line "The server says 'Your data was 2 bytes long'"
	wait_for_line "$SRV_OUT" "^The client at \('fe80::[0-9a-f:]+%s0', [0-9]+, 0, [0-9]+\) says 'll'$"
}

@test "udp-server -6 '' takes IPv6 alone, beside a server on 0.0.0.0 and the same port" {
	ip netns exec "$S" sysctl -qw net.ipv6.bindv6only=0
	serve SRV6 "$NETDEMO" udp-server -6 '' -p 7000
	run inside "$C" "$NETDEMO" udp-client 10.0.1.1 -p 7000 -m v4 --backoff 0.1,0.4
	assert_failure 1
	assert_line --partial 'ConnectionRefusedError: [Errno 111] Connection refused'
	serve SRV4 "$NETDEMO" udp-server '' -p 7000
	run inside "$C" "$NETDEMO" udp-client 10.0.1.1 -p 7000 -m v4 --backoff 0.1,0.4
	assert_success
	run inside "$C" "$NETDEMO" udp-client fd00:1::1 -p 7000 -m v6 --backoff 0.1,0.4
	assert_success
	run cat "$SRV6_OUT"
	refute_output --partial '::ffff:'
	assert_line --regexp "^The client at \('fd00:1::2', [0-9]+, 0, 0\) says 'v6'$"
}

@test "udp-server -I s1 hears only what arrives on s1, whatever the address" {
	serve SRV "$NETDEMO" udp-server -I s1 -p 7000
	assert_equal "$SRV_HOST" 0.0.0.0
	# 10.0.2.1 is reached through c0, by the host route: not on s1.
	run inside "$C" "$NETDEMO" udp-client 10.0.2.1 -p 7000 -m by-s0 --backoff 0.1,0.4
	assert_failure 1
	assert_line --partial 'ConnectionRefusedError'
	ip -n "$C" route del 10.0.2.1/32
	run inside "$C" "$NETDEMO" udp-client 10.0.2.1 -p 7000 -m by-s1 --backoff 0.1,0.4
	assert_success
	run inside "$C" "$NETDEMO" udp-client 10.0.1.1 -p 7000 -m by-s0 --backoff 0.1,0.4
	assert_failure 1
	assert_line --partial 'ConnectionRefusedError'
	run grep -c ' says ' "$SRV_OUT"
	assert_output 1
	wait_for_line "$SRV_OUT" "^The client at \('10.0.2.2', [0-9]+\) says 'by-s1'$"
}

@test "tcp-server -I s1 serves only what arrives on s1" {
	serve SRV "$NETDEMO" tcp-server -I s1 -p 7000
	assert_equal "$SRV_HOST" 0.0.0.0
	ip -n "$C" route del 10.0.2.1/32
	run inside "$C" "$NETDEMO" tcp-client 10.0.2.1 -p 7000
	assert_success
	assert_line "The server said b'Farewell, client'"
	run inside "$C" "$NETDEMO" tcp-client 10.0.1.1 -p 7000
	assert_failure 1
	assert_line --partial 'ConnectionRefusedError: [Errno 111] Connection refused'
	run grep -c '^We have accepted a connection from' "$SRV_OUT"
	assert_output 1
}

@test "udp-server s0 listens on each address of the interface s0" {
	serve SRV "$NETDEMO" udp-server s0 -p 0
	# Each address once: those the system lists for s0, a line each.
	wait_for_line "$SRV_OUT" "^Listening at \('fe80::"
	ip -n "$S" -o addr show dev s0 | awk '{print $4}' | sed 's,/.*,,' | sort >"$BATS_TEST_TMPDIR/want"
	sed -n "s/^Listening at ('\([^'%]*\)[^']*', $SRV_PORT.*/\1/p" "$SRV_OUT" | sort >"$BATS_TEST_TMPDIR/got"
	run diff "$BATS_TEST_TMPDIR/want" "$BATS_TEST_TMPDIR/got"
	assert_success
	assert_equal "$(wc -l <"$BATS_TEST_TMPDIR/got")" 5
	run inside "$C" "$NETDEMO" udp-client 10.0.1.3 -p "$SRV_PORT" -m x --backoff 0.1,0.4
	assert_success
	run inside "$C" "$NETDEMO" udp-client fd00:1::1 -p "$SRV_PORT" -m x --backoff 0.1,0.4
	assert_success
	# s1's address is not s0's, though it comes in by s0.
	run inside "$C" "$NETDEMO" udp-client fd00:2::1 -p "$SRV_PORT" -m x --backoff 0.1,0.4
	assert_failure 1
}

@test "tcp-server s1 -4 listens on the interface's IPv4 address alone" {
	serve SRV "$NETDEMO" tcp-server s1 -4 -p 0
	# Printed after every Listening line.
	wait_for_line "$SRV_OUT" '^Waiting to accept a new connection$'
	run grep '^Listening' "$SRV_OUT"
	assert_output "Listening at ('10.0.2.1', $SRV_PORT)"
	ip -n "$C" route del 10.0.2.1/32
	run inside "$C" "$NETDEMO" tcp-client 10.0.2.1 -p "$SRV_PORT"
	assert_success
}

@test "a server on an interface without addresses of the family says so" {
	ip -n "$S" link add e0 type veth peer name e1
	run --separate-stderr inside "$S" "$NETDEMO" udp-server e0 -p 0
	assert_failure 1
	assert_equal "$stderr" 'netdemo udp-server: the interface e0 has no address'
	ip -n "$S" addr add fd00:5::1/64 dev e0 nodad
	run --separate-stderr inside "$S" "$NETDEMO" tcp-server -4 e0 -p 0
	assert_failure 1
	assert_equal "$stderr" 'netdemo tcp-server: the interface e0 has no IPv4 address'
}

@test "a word that is an interface and a host name is the interface" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	printf '192.0.2.9 lo\n' >"$BATS_TEST_TMPDIR/hosts"
	run with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 5 bash -c '
		"$0" udp-server lo -4 -p 0 >"$1" 3>&- &
		for i in $(seq 100); do [[ -s $1 ]] && break; sleep 0.05; done
		sleep 0.1; kill %1; wait' "$NETDEMO" "$BATS_TEST_TMPDIR/out"
	run cat "$BATS_TEST_TMPDIR/out"
	assert_output --regexp "^Listening at \('127\.0\.0\.1', [0-9]+\)$"
}
