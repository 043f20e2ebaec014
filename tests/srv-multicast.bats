#!/usr/bin/env bats
# srv-multicast.bats: udp-server --join GROUP on one segment.  Members
# answer a sender unicast, each from its own address on the segment; a
# server that did not join stays silent; --join-source admits one source;
# each way it can go wrong is a clear error.  The client side (udp-client
# GROUP) is another file's: here a small python3 sender (mcast_send.py)
# sends one datagram and lists every answer.
#
# The segment: a namespace W holding a bridge (no multicast snooping, so
# the bridge floods groups as a plain switch would), and a namespace per
# host with a veth e0 into it:
#   P (the sender) 10.0.9.10 fd00:9::10    M1..M4 10.0.9.1..4 fd00:9::1..4
#   N (no member)  10.0.9.5  fd00:9::5

load test_helper/common
load test_helper/native

MSEND=$BATS_TEST_DIRNAME/test_helper/mcast_send.py
ANSWER="Your data was 13 bytes long"

setup_file() {
	nd_setup_links
}

setup() {
	ns_need
	TAG=ndmc$$x$RANDOM
	W=$TAG-W
	ns_add "$W"
	ip -n "$W" link add br0 type bridge mcast_snooping 0
	ip -n "$W" link set br0 up
	host P 10
	for n in 1 2 3 4; do
		host "M$n" "$n"
	done
	host N 5
}

teardown() {
	stop_servers
	ns_cleanup
}

# host NAME N: namespace $TAG-NAME with e0 on the bridge, 10.0.9.N/24 and
# fd00:9::N/64; its name in the variable NAME.
host() {
	local ns=$TAG-$1
	ns_add "$ns"
	printf -v "$1" '%s' "$ns"
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.default.router_solicitations=0
	ip -n "$ns" link add e0 type veth peer name "p$2" netns "$W"
	ip -n "$W" link set "p$2" master br0 up
	ip -n "$ns" addr add "10.0.9.$2/24" dev e0
	ip -n "$ns" addr add "fd00:9::$2/64" dev e0 nodad
	ip -n "$ns" link set e0 up
}

# serve NAME NS CMD...: a server inside namespace NS, as start_server does.
serve() {
	local name=$1 ns=$2
	shift 2
	start_server "$name" ip netns exec "$ns" "$NETDEMO" "$@"
}

# send GROUP SOURCE: one datagram from P, every answer (mcast_send.py).
send() {
	run timeout -k 2 "$ND_TIMEOUT" ip netns exec "$P" python3 "$MSEND" \
	    "$1" 7000 --source "$2" --iface e0 --wait 1
}

@test "members of an IPv4 group answer unicast from their own addresses, once each" {
	# M2 joins where its route goes; M3 also listens on every address of
	# e0, and must answer the group once.
	ip -n "$M2" route add default dev e0
	serve M1 "$M1" udp-server --join 239.1.2.3 -I e0 -p 7000
	serve M2 "$M2" udp-server --join 239.1.2.3 -p 7000
	serve M3 "$M3" udp-server '' --join 239.1.2.3 -I e0 -p 7000
	serve N "$N" udp-server '' -p 7000
	assert_equal "$(head -1 "$M1_OUT")" "Listening at ('239.1.2.3', 7000)"
	send 239.1.2.3 10.0.9.10
	assert_success
	assert_output "10.0.9.1 $ANSWER
10.0.9.2 $ANSWER
10.0.9.3 $ANSWER"
	wait_for_line "$M1_OUT" "^The client at \('10\.0\.9\.10', [0-9]+\) says 'hello members'$"
	run grep -c ' says ' "$M3_OUT"
	assert_output 1
	run grep -c ' says ' "$N_OUT"
	assert_output 0
}

@test "members of an IPv6 link-local group answer unicast from their own addresses" {
	serve M1 "$M1" udp-server --join 'ff02::4242%e0' -p 7000
	serve M2 "$M2" udp-server --join ff02::4242 -I e0 -p 7000
	serve N "$N" udp-server -6 '' -p 7000
	index=$(ip netns exec "$M2" cat /sys/class/net/e0/ifindex)
	assert_equal "$(head -1 "$M2_OUT")" "Listening at ('ff02::4242%e0', 7000, 0, $index)"
	send ff02::4242 fd00:9::10
	assert_success
	assert_output "fd00:9::1 $ANSWER
fd00:9::2 $ANSWER"
	wait_for_line "$M2_OUT" "^The client at \('fd00:9::10', [0-9]+, 0, 0\) says 'hello members'$"
	run grep -c ' says ' "$N_OUT"
	assert_output 0
}

@test "a member joined for another source gets nothing: --join-source, IPv4 and IPv6" {
	serve M1 "$M1" udp-server --join 232.1.2.3 --join ff3e::4242 -I e0 \
	    --join-source 10.0.9.10 --join-source fd00:9::10 -p 7000
	serve M2 "$M2" udp-server --join 232.1.2.3 --join ff3e::4242 -I e0 \
	    --join-source 10.0.9.99 --join-source fd00:9::99 -p 7000
	serve M3 "$M3" udp-server --join 232.1.2.3 --join ff3e::4242 -I e0 -p 7000
	send 232.1.2.3 10.0.9.10
	assert_output "10.0.9.1 $ANSWER
10.0.9.3 $ANSWER"
	send ff3e::4242 fd00:9::10
	assert_output "fd00:9::1 $ANSWER
fd00:9::3 $ANSWER"
	run grep -c ' says ' "$M2_OUT"
	assert_output 0
}

@test "udp-server --join says what the command line got wrong" {
	usage_error 'netdemo udp-server: error: argument --join: 10.0.9.1 is not a multicast address' netdemo udp-server --join 10.0.9.1
	usage_error "netdemo udp-server: error: argument --join: invalid address: 'all-hosts'" netdemo udp-server --join all-hosts
	usage_error 'netdemo udp-server: error: argument --join: ff02::1 needs an interface: ff02::1%IFACE or -I IFACE' netdemo udp-server --join ff02::1
	usage_error 'netdemo udp-server: error: argument --join: ff02::1%lo is on another interface than -I e0' ip netns exec "$M1" "$NETDEMO" udp-server --join 'ff02::1%lo' -I e0
	usage_error "netdemo udp-server: error: cannot use -6 with the IPv4 address '239.1.2.3'" netdemo udp-server -6 --join 239.1.2.3
	usage_error 'netdemo udp-server: error: argument --join-source: 239.1.1.1 is a group, not a source' netdemo udp-server --join 239.1.2.3 --join-source 239.1.1.1
	usage_error 'netdemo udp-server: error: argument --join-source: no IPv6 group to join for fd00:9::10' netdemo udp-server --join 239.1.2.3 --join-source fd00:9::10
}

@test "udp-server --join with no interface to join on says to name one" {
	# M1 has no route to the group, and no -I.
	run --separate-stderr timeout -k 2 5 ip netns exec "$M1" "$NETDEMO" udp-server --join 239.1.2.3 -p 7000
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-server: join ('239.1.2.3', 7000): OSError: [Errno 19] No such device
netdemo udp-server: hint: no route goes to the group: name the interface to join it on with -I"
}

@test "udp-server --join on an interface with multicast off says so" {
	ip -n "$M1" link set dev e0 multicast off
	run --separate-stderr timeout -k 2 5 ip netns exec "$M1" "$NETDEMO" udp-server --join 239.1.2.3 -I e0 -p 7000 --json
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-server: cannot join 239.1.2.3: the interface e0 has multicast off
netdemo udp-server: hint: turn it on: ip link set dev e0 multicast on"
	assert_output '{"event": "error", "message": "cannot join 239.1.2.3: the interface e0 has multicast off", "hint": "turn it on: ip link set dev e0 multicast on", "exit": 1}'
}
