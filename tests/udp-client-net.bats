#!/usr/bin/env bats
# udp-client on networks built by the tests: a server that answers from
# the wrong address, ICMP errors named with their sender, where probes
# leave from and how they are marked (-s, -I, --tos, --ttl), and every
# answer of a multicast group or a broadcast.

load test_helper/common
load test_helper/native
load test_helper/netns
load test_helper/udpclient

# python3 may take seconds to start on a loaded machine.
((ND_START_TIMEOUT >= 20)) || ND_START_TIMEOUT=20

setup_file() {
	nd_setup_links
}

# client NS ARGS...: netdemo udp-client in namespace NS (run it with run).
client() {
	local ns=$1
	shift
	in_ns "$ns" "$NETDEMO" udp-client "$@"
}

# ----------------------------------------------- answers from elsewhere

@test "udp-client names the address a server answers from when it is not the one asked (exit 4)" {
	netns_require
	netns_topology 1500 1500
	# B has two addresses; the server listens on one, answers from the other.
	ip -n "$NS_B" addr add 10.0.2.3/24 dev b0
	ip -n "$NS_B" addr add fd00:2::3/64 dev b0 nodad
	start_server E4 ip netns exec "$NS_B" python3 "$ND_HELPER_DIR/elsewhere.py" "$B4" 10.0.2.3 -p 7000
	start_server E6 ip netns exec "$NS_B" python3 "$ND_HELPER_DIR/elsewhere.py" "$B6" fd00:2::3 -p 7000
	run --separate-stderr client "$NS_A" "$B4" -p 7000 --backoff 0.2,0.4 -m x
	assert_failure 4
	assert_line --index 1 'Waiting up to 0.2 seconds for a reply'
	assert_equal "$stderr" "netdemo udp-client: no reply from ('10.0.2.2', 7000), but 2 datagrams came back from ('10.0.2.3', 7000)
netdemo udp-client: hint: the server answers from another of its addresses; --promiscuous takes such answers, or bind the server to 10.0.2.2"
	run --separate-stderr client "$NS_A" "$B6" -p 7000 --backoff 0.4,0.4 -m x --json
	assert_failure 4
	assert_line --index 2 '{"event": "error", "message": "no reply from ('"'"'fd00:2::2'"'"', 7000, 0, 0), but a datagram came back from ('"'"'fd00:2::3'"'"', 7000, 0, 0)", "from": {"host": "fd00:2::3", "port": 7000}, "hint": "the server answers from another of its addresses; --promiscuous takes such answers, or bind the server to fd00:2::2", "exit": 4}'
	# --promiscuous takes them, as the hint says.
	run client "$NS_A" "$B4" -p 7000 --promiscuous -m x
	assert_success
	assert_line --index 2 "The server ('10.0.2.3', 7000) replied 'Your data was 1 bytes long'"
	# A series says the same at its end.
	run --separate-stderr client "$NS_A" "$B4" -p 7000 -c 2 -i 0.2 -W 0.3 -m x
	assert_failure 4
	assert_equal "$(head -1 <<<"$stderr")" "netdemo udp-client: no reply from ('10.0.2.2', 7000), but 2 datagrams came back from ('10.0.2.3', 7000)"
}

# ------------------------------------------------ ICMP, by type and sender

@test "a firewall's reject on the router is named administratively prohibited, from the router" {
	netns_require nft
	netns_topology 1500 1500
	ip netns exec "$NS_R" nft -f - <<-'EOF'
	table inet ndt {
		chain firewall {
			type filter hook forward priority 0; policy accept;
			udp dport 7001 reject with icmpx type admin-prohibited
		}
	}
	EOF
	run --separate-stderr client "$NS_A" "$B4" -p 7001 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('10.0.2.2', 7001): ICMP administratively prohibited from ('10.0.1.1', 0): OSError: [Errno 113] No route to host
netdemo udp-client: hint: a firewall at ('10.0.1.1', 0) rejects this traffic; check its rules for this port"
	run --separate-stderr client "$NS_A" "$B6" -p 7001 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('fd00:2::2', 7001, 0, 0): ICMP administratively prohibited from ('fd00:1::1', 0, 0, 0): PermissionError: [Errno 13] Permission denied
netdemo udp-client: hint: a firewall at ('fd00:1::1', 0, 0, 0) rejects this traffic; check its rules for this port"
	run -1 client "$NS_A" "$B4" -p 7001 -m x --json
	assert_line --index 2 --partial '"icmp": "administratively prohibited", "from": {"host": "10.0.1.1", "port": 0}, "hint": "a firewall at'
	# In a series, a line per request says the same.
	run -1 client "$NS_A" "$B4" -p 7001 -m x -c 2 -i 0.2
	assert_line --index 1 "seq 1: ICMP administratively prohibited from ('10.0.1.1', 0)"
	assert_line --index 2 "seq 2: ICMP administratively prohibited from ('10.0.1.1', 0)"
}

@test "a router with no route onward is named network unreachable, from the router" {
	netns_require
	netns_topology 1500 1500
	run --separate-stderr client "$NS_A" 10.9.9.9 -p 7000 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('10.9.9.9', 7000): ICMP network unreachable from ('10.0.1.1', 0): OSError: [Errno 101] Network is unreachable
netdemo udp-client: hint: the router ('10.0.1.1', 0) has no route onward to that network; check the routes past it"
	run --separate-stderr client "$NS_A" fd09::9 -p 7000 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('fd09::9', 7000, 0, 0): ICMP no route to destination from ('fd00:1::1', 0, 0, 0): OSError: [Errno 101] Network is unreachable
netdemo udp-client: hint: the router ('fd00:1::1', 0, 0, 0) has no route onward to that network; check the routes past it"
}

@test "a host that is not there is named host unreachable, from the router that looked for it" {
	netns_require
	netns_topology 1500 1500
	# The router gives up on the neighbour after one probe of 0.2 s.
	ip netns exec "$NS_R" sysctl -qw net.ipv4.neigh.r1.mcast_solicit=1 \
	    net.ipv4.neigh.r1.retrans_time_ms=200 \
	    net.ipv6.neigh.r1.mcast_solicit=1 \
	    net.ipv6.neigh.r1.retrans_time_ms=200
	run --separate-stderr client "$NS_A" 10.0.2.99 -p 7000 -m x --backoff 0.5,4
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('10.0.2.99', 7000): ICMP host unreachable from ('10.0.1.1', 0): OSError: [Errno 113] No route to host
netdemo udp-client: hint: the router ('10.0.1.1', 0) found no host at that address on its network (no ARP or neighbour answer); is the host up?"
	run --separate-stderr client "$NS_A" fd00:2::99 -p 7000 -m x --backoff 0.5,4
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('fd00:2::99', 7000, 0, 0): ICMP address unreachable from ('fd00:1::1', 0, 0, 0): OSError: [Errno 113] No route to host
netdemo udp-client: hint: the router ('fd00:1::1', 0, 0, 0) found no host at that address on its network (no ARP or neighbour answer); is the host up?"
}

@test "--ttl 1 through a router is named time exceeded, from the router; --ttl 2 gets through" {
	netns_require
	netns_topology 1500 1500
	start_server SRV ip netns exec "$NS_B" "$NETDEMO" udp-server "$B4" -p 7000
	start_server SRV6 ip netns exec "$NS_B" "$NETDEMO" udp-server "$B6" -p 7000
	run --separate-stderr client "$NS_A" "$B4" -p 7000 -m x --ttl 1
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('10.0.2.2', 7000): ICMP time exceeded from ('10.0.1.1', 0): OSError: [Errno 113] No route to host
netdemo udp-client: hint: the TTL ran out at the router ('10.0.1.1', 0); raise --ttl to reach further"
	run --separate-stderr client "$NS_A" "$B6" -p 7000 -m x --ttl 1
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: recv from ('fd00:2::2', 7000, 0, 0): ICMP time exceeded from ('fd00:1::1', 0, 0, 0): OSError: [Errno 113] No route to host
netdemo udp-client: hint: the TTL ran out at the router ('fd00:1::1', 0, 0, 0); raise --ttl to reach further"
	run client "$NS_A" "$B4" -p 7000 -m x --ttl 2
	assert_success
	assert_line --index 2 "The server says 'Your data was 1 bytes long'"
	run client "$NS_A" "$B6" -p 7000 -m x --ttl 2
	assert_success
}

@test "a broadcast address without --broadcast says that it needs --broadcast" {
	netns_require
	netns_topology 1500 1500
	run --separate-stderr client "$NS_A" 10.0.1.255 -p 7000 -m x
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: connect to ('10.0.1.255', 7000): PermissionError: [Errno 13] Permission denied
netdemo udp-client: hint: sending to a broadcast address needs --broadcast"
	run --separate-stderr client "$NS_A" 10.0.1.255 -p 7000 -m x --promiscuous
	assert_failure 1
	assert_equal "$stderr" "netdemo udp-client: send to ('10.0.1.255', 7000): PermissionError: [Errno 13] Permission denied
netdemo udp-client: hint: sending to a broadcast address needs --broadcast"
}

# ------------------------------------------- where probes leave, marked

@test "-s and -I choose which of two addresses and two interfaces the server sees" {
	netns_require nft
	local tag=nd${BASHPID}x$RANDOM c s
	_netns_sweep
	c=$tag-A s=$tag-B
	_netns_add "$c" && _netns_add "$s" && _netns_v6quiet "$c" &&
	    _netns_v6quiet "$s"
	ip -n "$c" link add c0 type veth peer name s0 netns "$s"
	ip -n "$c" link add c1 type veth peer name s1 netns "$s"
	ip -n "$c" addr add 10.78.1.2/24 dev c0
	ip -n "$c" addr add 10.78.2.2/24 dev c1
	ip -n "$c" addr add fd78:1::2/64 dev c0 nodad
	ip -n "$c" addr add fd78:2::2/64 dev c1 nodad
	ip -n "$s" addr add 10.78.1.1/24 dev s0
	ip -n "$s" addr add 10.78.2.1/24 dev s1
	ip -n "$s" addr add fd78:1::1/64 dev s0 nodad
	ip -n "$s" addr add fd78:2::1/64 dev s1 nodad
	# The service's address is on neither link; c0 is the way there.
	ip -n "$s" addr add 10.78.9.9/32 dev lo
	ip -n "$s" addr add fd78:9::9/128 dev lo
	for x in "$c c0" "$c c1" "$s s0" "$s s1"; do
		read -r ns dev <<<"$x"
		ip -n "$ns" link set "$dev" up
	done
	ip -n "$c" route add 10.78.9.9 via 10.78.1.1 dev c0 metric 10
	ip -n "$c" route add 10.78.9.9 via 10.78.2.1 dev c1 metric 20
	ip -n "$c" -6 route add fd78:9::9 via fd78:1::1 dev c0 metric 10
	ip -n "$c" -6 route add fd78:9::9 via fd78:2::1 dev c1 metric 20
	# The answer to a --source of c1 comes back by c1: no reverse-path
	# filter may drop it.
	for ns in "$c" "$s"; do
		ip netns exec "$ns" sh -c \
		    'for f in /proc/sys/net/ipv4/conf/*/rp_filter; do echo 0 >$f; done'
	done
	ip netns exec "$s" nft -f - <<-'EOF'
	table inet ndc {
		chain s0 {
			type filter hook input priority 0; policy accept;
			iifname "s0" udp dport 7000 counter
		}
		chain s1 {
			type filter hook input priority 0; policy accept;
			iifname "s1" udp dport 7000 counter
		}
	}
	EOF
	# One try each (-W): a resend while a neighbour is being found would
	# be counted twice.
	start_server SRV ip netns exec "$s" "$NETDEMO" udp-server 10.78.9.9 -p 7000
	start_server SRV6 ip netns exec "$s" "$NETDEMO" udp-server fd78:9::9 -p 7000
	run client "$c" 10.78.9.9 -p 7000 -W 3 -m plain
	assert_success
	wait_for_line "$SRV_OUT" "^The client at \('10\.78\.1\.2', [0-9]+\) says 'plain'$"
	assert_equal "$(nft_count "$s" s0) $(nft_count "$s" s1)" '1 0'
	run client "$c" 10.78.9.9 -p 7000 -W 3 -m source -s 10.78.2.2
	assert_success
	assert_line --index 0 --regexp "^Client socket name is \('10\.78\.2\.2', [0-9]+\)$"
	wait_for_line "$SRV_OUT" "^The client at \('10\.78\.2\.2', [0-9]+\) says 'source'$"
	# The source chose the address, the route still the interface.
	assert_equal "$(nft_count "$s" s0) $(nft_count "$s" s1)" '2 0'
	run client "$c" 10.78.9.9 -p 7000 -W 3 -m iface -I c1
	assert_success
	wait_for_line "$SRV_OUT" "^The client at \('10\.78\.2\.2', [0-9]+\) says 'iface'$"
	assert_equal "$(nft_count "$s" s0) $(nft_count "$s" s1)" '2 1'
	run client "$c" fd78:9::9 -p 7000 -W 3 -m iface6 -I c1
	assert_success
	wait_for_line "$SRV6_OUT" "^The client at \('fd78:2::2', [0-9]+, 0, 0\) says 'iface6'$"
	run client "$c" fd78:9::9 -p 7000 -W 3 -m source6 -s fd78:2::2
	assert_success
	wait_for_line "$SRV6_OUT" "^The client at \('fd78:2::2', [0-9]+, 0, 0\) says 'source6'$"
	assert_equal "$(nft_count "$s" s0) $(nft_count "$s" s1)" '3 2'
}

@test "--tos and --ttl mark the datagrams: nftables counters see the DSCP and the TTL, IPv4 and IPv6" {
	netns_require nft
	netns_topology 1500 1500
	ip netns exec "$NS_R" nft -f - <<-'EOF'
	table inet ndc {
		chain tos4 {
			type filter hook prerouting priority 0; policy accept;
			ip dscp cs5 udp dport 7000 counter
		}
		chain tos6 {
			type filter hook prerouting priority 0; policy accept;
			ip6 dscp cs5 udp dport 7000 counter
		}
		chain ttl4 {
			type filter hook prerouting priority 0; policy accept;
			ip ttl 7 udp dport 7000 counter
		}
		chain ttl6 {
			type filter hook prerouting priority 0; policy accept;
			ip6 hoplimit 7 udp dport 7000 counter
		}
	}
	EOF
	start_server SRV ip netns exec "$NS_B" "$NETDEMO" udp-server "$B4" -p 7000
	start_server SRV6 ip netns exec "$NS_B" "$NETDEMO" udp-server "$B6" -p 7000
	for host in "$B4" "$B6"; do
		run client "$NS_A" "$host" -p 7000 -m plain
		assert_success
	done
	assert_equal "$(nft_count "$NS_R" tos4) $(nft_count "$NS_R" tos6) $(nft_count "$NS_R" ttl4) $(nft_count "$NS_R" ttl6)" '0 0 0 0'
	for host in "$B4" "$B6"; do
		run client "$NS_A" "$host" -p 7000 -m marked --tos 0xa0 --ttl 7
		assert_success
	done
	assert_equal "$(nft_count "$NS_R" tos4) $(nft_count "$NS_R" tos6) $(nft_count "$NS_R" ttl4) $(nft_count "$NS_R" ttl6)" '1 1 1 1'
	# A series marks every request.
	run client "$NS_A" "$B4" -p 7000 -m marked --tos 160 -c 3 -i 0.1
	assert_success
	assert_equal "$(nft_count "$NS_R" tos4)" 4
}

# ------------------------------------------------ groups and broadcasts

@test "a multicast group: every member answers, and only members (IPv4)" {
	netns_require
	segment 3
	member M1 "${SEG_M[1]}" --group 239.1.2.3 --iface m0 -p 7000
	member M2 "${SEG_M[2]}" --group 239.1.2.3 --iface m0 -p 7000
	# On the port, but not a member.
	member M3 "${SEG_M[3]}" -p 7000
	run client "$SEG_C" 239.1.2.3 -p 7000 -W 1 -m x
	assert_success
	assert_line --index 0 --regexp "^The OS assigned me the address \('0\.0\.0\.0', [0-9]+\)$"
	assert_line --regexp "^Reply from \('10\.79\.0\.11', 7000\): seq 1, [0-9.]+ ms, 'Your data was 1 bytes long'$"
	assert_line --regexp "^Reply from \('10\.79\.0\.12', 7000\): seq 1, [0-9.]+ ms, 'Your data was 1 bytes long'$"
	assert_line "--- ('239.1.2.3', 7000) statistics ---"
	assert_line --regexp "^Answered by \[\('10\.79\.0\.1[12]', 7000\), \('10\.79\.0\.1[12]', 7000\)\]$"
	assert_line --regexp '^1 sent, 2 received, 0 failed, 0\.0% loss, 0 late, in 1\.[0-9]+ seconds$'
	assert_equal "${#lines[@]}" 7
	run grep -c Answered "$M3_OUT"
	assert_output 0
	run client "$SEG_C" 239.1.2.3 -p 7000 -W 1 -m x --json
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/c.json"
	run json_check "$BATS_TEST_TMPDIR/c.json"
	assert_success
	run python3 -c '
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
s = [e for e in ev if e["event"] == "summary"][0]
print(sorted(a["host"] for a in s["responders"]), s["received"])' "$BATS_TEST_TMPDIR/c.json"
	assert_output "['10.79.0.11', '10.79.0.12'] 2"
}

@test "an IPv6 group: every member answers, through -I or the group's zone" {
	netns_require
	segment 3
	member M1 "${SEG_M[1]}" --group ff05::db8:3 --iface m0 -p 7000
	member M2 "${SEG_M[2]}" --group ff05::db8:3 --iface m0 -p 7000
	member M3 "${SEG_M[3]}" --bind :: -p 7000
	run client "$SEG_C" ff05::db8:3 -I c0 -p 7000 -W 1 -m x
	assert_success
	assert_line --regexp "^Reply from \('fd79::11', 7000, 0, 0\): seq 1, [0-9.]+ ms, 'Your data was 1 bytes long'$"
	assert_line --regexp "^Reply from \('fd79::12', 7000, 0, 0\): seq 1, "
	assert_line --regexp '^1 sent, 2 received, 0 failed, '
	# A link-local group with its zone: the members answer from theirs.
	member L1 "${SEG_M[1]}" --group ff02::db8:3 --iface m0 -p 7001
	run client "$SEG_C" 'ff02::db8:3%c0' -p 7001 -W 1 -m x
	assert_success
	assert_line --regexp "^Reply from \('fe80::[0-9a-f:]+%c0', 7001, 0, [0-9]+\): seq 1, "
	assert_line --regexp '^1 sent, 1 received, 0 failed, '
	run grep -c Answered "$M3_OUT"
	assert_output 0
	# No interface at all: a usage error, before anything is sent.
	run --separate-stderr client "$SEG_C" ff05::db8:3 -p 7000 -m x
	assert_failure 2
	assert_equal "$(tail -1 <<<"$stderr")" 'netdemo udp-client: error: an IPv6 group needs an interface: GROUP%IFACE, or -I IFACE'
}

@test "--loop lets a member on the client's own host answer" {
	netns_require
	segment 1
	member M1 "${SEG_M[1]}" --group 239.1.2.3 --iface m0 -p 7000
	member ME "$SEG_C" --group 239.1.2.3 --iface c0 -p 7000
	run client "$SEG_C" 239.1.2.3 -p 7000 -W 0.5 -m x
	assert_success
	assert_line "Answered by [('10.79.0.11', 7000)]"
	run client "$SEG_C" 239.1.2.3 -p 7000 -W 0.5 -m x --loop
	assert_success
	assert_line --regexp "^Reply from \('10\.79\.0\.2', 7000\): seq 1, "
	assert_line --regexp '^1 sent, 2 received, '
}

@test "a group series names the member that did not answer again" {
	netns_require
	segment 2
	member M1 "${SEG_M[1]}" --group 239.1.2.3 --iface m0 -p 7000
	member M2 "${SEG_M[2]}" --group 239.1.2.3 --iface m0 -p 7000 --answers 1
	run client "$SEG_C" 239.1.2.3 -p 7000 -c 3 -i 0.3 -W 0.5 -m x
	assert_success
	assert_line "No reply from ('10.79.0.12', 7000) to seq 2 within 0.5 seconds"
	assert_line "No reply from ('10.79.0.12', 7000) to seq 3 within 0.5 seconds"
	refute_line --partial "No reply from ('10.79.0.11', 7000)"
	assert_line --regexp '^3 sent, 4 received, 0 failed, 33\.3% loss, 0 late, '
}

@test "a group with nobody in it: exit 3, and what to check" {
	netns_require
	segment 1
	run --separate-stderr client "$SEG_C" 239.1.2.3 -p 7000 -W 0.3 -m x
	assert_failure 3
	assert_equal "$stderr" "netdemo udp-client: nobody answered
netdemo udp-client: hint: no member of the group ('239.1.2.3', 7000) answered within the 0.3-second wait; are servers joined to it on this link, and does --ttl reach them?"
}

@test "with --ttl 1 (the default) nothing crosses a multicast router; --ttl 2 does" {
	netns_require
	netns_topology 1500 1500
	# R forwards 239.1.2.3 from A's link to B's, as a multicast router.
	mrouted "$NS_R" r0 r1 "$A4" 239.1.2.3
	member MB "$NS_B" --group 239.1.2.3 --iface b0 -p 7000
	for ttl in '' '--ttl 1'; do
		run --separate-stderr client "$NS_A" 239.1.2.3 -p 7000 -W 0.5 -m x $ttl
		assert_failure 3
	done
	run client "$NS_A" 239.1.2.3 -p 7000 -W 0.5 -m x --ttl 2
	assert_success
	assert_line "Answered by [('10.0.2.2', 7000)]"
}

@test "--broadcast collects every answer on the segment" {
	netns_require
	segment 3
	for i in 1 2 3; do
		member "M$i" "${SEG_M[i]}" -p 7000
	done
	run client "$SEG_C" --broadcast 10.79.0.255 -p 7000 -W 1
	assert_success
	for i in 11 12 13; do
		assert_line --regexp "^Reply from \('10\.79\.0\.$i', 7000\): seq 1, [0-9.]+ ms, 'Your data was 19 bytes long'$"
	done
	assert_line --regexp '^1 sent, 3 received, 0 failed, 0\.0% loss, 0 late, '
	wait_for_line "$M1_OUT" "^Answered \('10\.79\.0\.2', [0-9]+\)$"
}

@test "udp_broadcast's client still sends the book's datagram and waits for nothing" {
	netns_require
	segment 1
	member M1 "${SEG_M[1]}" -p 7000
	SECONDS=0
	run client "$SEG_C" --broadcast --send-only 10.79.0.255 -p 7000
	assert_success
	assert_output ''
	run in_ns "$SEG_C" "$ND_BIN/udp_broadcast" client 10.79.0.255 -p 7000
	assert_success
	assert_output ''
	assert [ "$SECONDS" -lt 5 ]
	# Both went out: the member answered both, to no one listening.
	wait_for_count "$M1_OUT" "^Answered \('10\.79\.0\.2', [0-9]+\)$" 2
}

@test "end to end: netdemo udp-server --join answers udp-client's group" {
	netns_require
	"$NETDEMO" udp-server --help | grep -q -- '--join' ||
	    skip "udp-server has no --join yet"
	segment 3
	for i in 1 2; do
		start_server "S$i" ip netns exec "${SEG_M[i]}" "$NETDEMO" udp-server --join 239.1.2.3 -I m0 '' -p 7000
	done
	start_server S3 ip netns exec "${SEG_M[3]}" "$NETDEMO" udp-server '' -p 7000
	run client "$SEG_C" 239.1.2.3 -p 7000 -W 1 -m x
	assert_success
	assert_line --regexp "^Reply from \('10\.79\.0\.11', 7000\): seq 1, [0-9.]+ ms, 'Your data was 1 bytes long'$"
	assert_line --regexp "^Reply from \('10\.79\.0\.12', 7000\): seq 1, "
	assert_line --regexp '^1 sent, 2 received, '
}
