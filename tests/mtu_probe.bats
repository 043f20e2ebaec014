#!/usr/bin/env bats
# mtu_probe.bats: netdemo mtu-probe and big_sender.  The path-MTU tests run
# in namespaces built per test (host A - router R - host B, see
# test_helper/netns.bash), so every route cache starts fresh and no traffic
# leaves them; they need root and skip without it.

load test_helper/common
load test_helper/netns

setup_file() {
	nd_setup_links
}

# probe_from_a ARGS...: netdemo mtu-probe run in A, bounded.
probe_from_a() {
	in_ns "$NS_A" netdemo mtu-probe "$@"
}

# server_on_b ADDR: a netdemo udp-server on B, answering every datagram
# with its length; sets SRV_PORT.
server_on_b() {
	start_server SRV ip netns exec "$NS_B" "$NETDEMO" udp-server "$1" -p 0
}

# tracepath_pmtu HOST: the pmtu of tracepath's closing "Resume:" line.
tracepath_pmtu() {
	local out
	out=$(in_ns "$NS_A" tracepath -n "$1") || true
	[[ $out =~ Resume:\ pmtu\ ([0-9]+) ]] || {
		echo "tracepath printed no Resume line:" >&2
		echo "$out" >&2
		return 1
	}
	echo "${BASH_REMATCH[1]}"
}

# --- options and usage, anywhere -----------------------------------------

@test "mtu-probe --help exits 0 and lists every option" {
	run bounded netdemo mtu-probe --help
	assert_success
	assert_line --index 0 "usage: netdemo mtu-probe [options] HOST"
	for o in --once --max-probes --tries --min --max --timeout --wait \
	    --port -4 -6 --json --quiet --help; do
		assert_output --partial "$o"
	done
}

@test "mtu-probe without a host is a usage error" {
	run -2 bounded netdemo mtu-probe
	assert_line --index 0 "usage: netdemo mtu-probe [options] HOST"
	assert_line --index 1 \
	    "netdemo mtu-probe: error: the following arguments are required: HOST"
}

@test "mtu-probe refuses --min above --max before opening a socket" {
	run -2 bounded netdemo mtu-probe --min 1500 --max 1400 127.0.0.1
	assert_line --index 1 \
	    "netdemo mtu-probe: error: --min 1500 is larger than --max 1400"
}

@test "mtu-probe refuses sizes below the smallest IPv4 MTU" {
	run -2 bounded netdemo mtu-probe --min 67 127.0.0.1
	assert_line --index 1 "netdemo mtu-probe: error: argument --min:\
 invalid int value: '67' (must be 68 to 65535)"
}

@test "mtu-probe refuses a zero wait and a zero probe budget" {
	run -2 bounded netdemo mtu-probe --wait 0 127.0.0.1
	assert_line --index 1 "netdemo mtu-probe: error: argument -w/--wait:\
 invalid seconds value: '0' (must be 0.01 to 60 seconds)"
	run -2 bounded netdemo mtu-probe --max-probes 0 127.0.0.1
	assert_line --index 1 "netdemo mtu-probe: error: argument\
 -m/--max-probes: invalid int value: '0' (must be 1 to 1000)"
}

@test "search options do not mix with --once" {
	run -2 bounded netdemo mtu-probe --once --tries 2 127.0.0.1
	assert_line --index 1 \
	    "netdemo mtu-probe: error: cannot use --tries with --once"
	run -2 bounded big_sender 127.0.0.1 --timeout 5
	assert_line --index 0 "usage: big_sender host [-p PORT]"
	assert_line --index 1 "big_sender: error: cannot use --timeout with --once"
}

# --- loopback: no namespaces needed --------------------------------------

@test "mtu-probe on loopback confirms 65535 bytes by the server's reply" {
	start_server SRV udp-server -p 0
	run bounded netdemo mtu-probe 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 "Probing the path MTU to ('127.0.0.1', $SRV_PORT)"
	assert_line --index 1 "Probing with 65535-byte datagrams"
	assert_line --index 2 \
	    "The server ('127.0.0.1', $SRV_PORT) replied 'Your data was 65507 bytes long'"
	assert_line --index 3 "Path MTU: 65535"
	assert_line --index 4 "Largest UDP payload: 65507"
	assert_line --index 5 \
	    "Decided by: replies from ('127.0.0.1', $SRV_PORT)"
	assert_line --index 6 --regexp '^1 probe in [0-9.]+ seconds$'
}

@test "mtu-probe on loopback takes port unreachable as arrival" {
	local port
	port=$(free_port udp)
	run bounded netdemo mtu-probe 127.0.0.1 -p "$port"
	assert_success
	assert_line "Port unreachable from ('127.0.0.1', 0): the 65535-byte datagram arrived"
	assert_line "Path MTU: 65535"
	assert_line "Decided by: port unreachable from ('127.0.0.1', $port)"
}

@test "mtu-probe --json prints one event per line, ending with done" {
	start_server SRV udp-server -p 0
	run bounded netdemo mtu-probe --json 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 "{\"event\": \"start\", \"to\": {\"host\": \"127.0.0.1\", \"port\": $SRV_PORT}, \"min\": 68, \"max\": 65535}"
	assert_line --index 1 '{"event": "probe", "size": 65535, "payload": 65507}'
	assert_line --partial '{"event": "pmtu", "mtu": 65535, "evidence": "replies"}'
	assert_line --index 6 --regexp '^\{"event": "done", "probes": 1, "unit": "probe", "seconds": [0-9.]+\}$'
	python3 -c 'import json, sys
for line in sys.stdin:
    json.loads(line)' <<<"$output"
}

@test "mtu-probe --max caps the first probe" {
	start_server SRV udp-server -p 0
	run bounded netdemo mtu-probe --max 9000 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 "Probing with 9000-byte datagrams"
	assert_line "Path MTU: 9000"
	assert_line "Largest UDP payload: 8972"
}

# --- A - R - B, IPv4: links 1500 and 1280 --------------------------------

@test "mtu-probe finds 1280 through R on a fresh route cache and names R" {
	netns_require
	netns_topology 1500 1280
	server_on_b "$B4"
	run probe_from_a "$B4" -p "$SRV_PORT"
	assert_success
	assert_line --index 0 "Probing the path MTU to ('$B4', $SRV_PORT)"
	assert_line --index 1 "Probing with 65535-byte datagrams"
	assert_line --index 2 "This host says the next hop MTU is 1500"
	assert_line --index 3 "Probing with 1500-byte datagrams"
	assert_line --index 4 "Router ('$R4', 0) says the next hop MTU is 1280"
	assert_line --index 5 "Probing with 1280-byte datagrams"
	assert_line --index 6 \
	    "The server ('$B4', $SRV_PORT) replied 'Your data was 1252 bytes long'"
	assert_line --index 7 "Path MTU: 1280"
	assert_line --index 8 "Largest UDP payload: 1252"
	assert_line --index 9 \
	    "Decided by: ICMP from ('$R4', 0) and replies from ('$B4', $SRV_PORT)"
	assert_line --index 10 --regexp '^3 probes in [0-9.]+ seconds$'
}

@test "mtu-probe finds 1280 by ICMP alone when nobody listens on B" {
	netns_require
	netns_topology 1500 1280
	run probe_from_a "$B4" -p 1060
	assert_success
	assert_line "Router ('$R4', 0) says the next hop MTU is 1280"
	assert_line "Port unreachable from ('$B4', 0): the 1280-byte datagram arrived"
	assert_line "Path MTU: 1280"
	assert_line "Decided by: ICMP from ('$R4', 0) and port unreachable from ('$B4', 1060)"
}

@test "big_sender B reports what the kernel had: 1500, then 1280 once R spoke" {
	netns_require
	netns_topology 1500 1280
	run in_ns "$NS_A" big_sender "$B4"
	assert_success
	assert_output "Alas, the datagram did not make it
Actual MTU: 1500"
	run probe_from_a "$B4"
	assert_success
	run in_ns "$NS_A" big_sender "$B4"
	assert_success
	assert_line --index 1 "Actual MTU: 1280"
}

@test "tracepath's pmtu agrees with ours over IPv4" {
	netns_require
	command -v tracepath >/dev/null || skip "iputils tracepath not installed"
	netns_topology 1500 1280
	run probe_from_a "$B4"
	assert_success
	assert_line "Path MTU: 1280"
	# A fresh topology, so tracepath too starts from an empty cache.
	netns_teardown
	netns_topology 1500 1280
	run tracepath_pmtu "$B4"
	assert_success
	assert_output 1280
}

@test "a network R cannot reach ends with exit 1 and R's ICMP errno" {
	netns_require
	netns_topology 1500 1280
	run -1 probe_from_a 192.0.2.1
	assert_line --partial "netdemo mtu-probe: probe to ('192.0.2.1', 1060): ICMP from ('$R4', 0): OSError: [Errno 101] Network is unreachable"
}

@test "a network with no local route ends with exit 1 and the errno text" {
	netns_require
	netns_topology 1500 1280
	# R has no default route: the kernel refuses at once.
	run -1 in_ns "$NS_R" netdemo mtu-probe 192.0.2.1
	assert_line --index 0 "netdemo mtu-probe: connect to ('192.0.2.1', 1060): OSError: [Errno 101] Network is unreachable"
}

# --- A - R - B, IPv6: links 1500 and 1400 --------------------------------

@test "mtu-probe -6 finds 1400 through R on a fresh route cache and names R" {
	netns_require
	netns_topology 1500 1400
	server_on_b "$B6"
	run probe_from_a -6 "$B6" -p "$SRV_PORT"
	assert_success
	assert_line --index 0 "Probing the path MTU to ('$B6', $SRV_PORT, 0, 0)"
	assert_line --index 2 "This host says the next hop MTU is 1500"
	assert_line --index 4 "Router ('$R6', 0, 0, 0) says the next hop MTU is 1400"
	assert_line --index 5 "Probing with 1400-byte datagrams"
	assert_line --index 6 \
	    "The server ('$B6', $SRV_PORT, 0, 0) replied 'Your data was 1352 bytes long'"
	assert_line --index 7 "Path MTU: 1400"
	assert_line --index 8 "Largest UDP payload: 1352"
	assert_line --index 9 \
	    "Decided by: ICMP from ('$R6', 0, 0, 0) and replies from ('$B6', $SRV_PORT, 0, 0)"
	assert_line --index 10 --regexp '^3 probes in [0-9.]+ seconds$'
}

@test "big_sender -6 B reports 1500 on a fresh cache" {
	netns_require
	netns_topology 1500 1400
	run in_ns "$NS_A" big_sender -6 "$B6"
	assert_success
	assert_line --index 1 "Actual MTU: 1500"
}

@test "tracepath's pmtu agrees with ours over IPv6" {
	netns_require
	command -v tracepath >/dev/null || skip "iputils tracepath not installed"
	netns_topology 1500 1400
	run probe_from_a -6 "$B6"
	assert_success
	assert_line "Path MTU: 1400"
	netns_teardown
	netns_topology 1500 1400
	run tracepath_pmtu "$B6"
	assert_success
	assert_output 1400
}

# --- the black hole: R drops what it cannot forward, silently ------------

@test "in a black hole mtu-probe finds 1280 from the server's replies" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	server_on_b "$B4"
	run probe_from_a "$B4" -p "$SRV_PORT"
	assert_success
	refute_line --partial "Router"
	assert_line "No answer to the 1500-byte datagram in 1.0 seconds"
	assert_line "Path MTU: 1280"
	assert_line "Largest UDP payload: 1252"
	assert_line "Decided by: replies from ('$B4', $SRV_PORT)"
	# Both neighbours of the answer were tried: 1280 arrived, 1281 not.
	assert_line \
	    "The server ('$B4', $SRV_PORT) replied 'Your data was 1252 bytes long'"
	assert_line --regexp '^No answer to the 1281-byte datagram in [0-9.]+ seconds$'
}

@test "in an IPv6 black hole mtu-probe -6 finds 1400 from the replies" {
	netns_require nft
	netns_topology 1500 1400
	netns_no_icmp_from_router
	server_on_b "$B6"
	run probe_from_a -6 "$B6" -p "$SRV_PORT"
	assert_success
	refute_line --partial "Router"
	assert_line "Path MTU: 1400"
	assert_line "Decided by: replies from ('$B6', $SRV_PORT, 0, 0)"
}

@test "in a black hole with nobody listening on B mtu-probe ends with exit 3" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	SECONDS=0
	run -3 --separate-stderr probe_from_a "$B4"
	((SECONDS <= 5))
	assert_line "Port unreachable from ('$B4', 0): the 68-byte datagram arrived"
	refute_line --partial "Path MTU"
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: 68-byte datagrams reach ('$B4', 1060), 1500-byte ones vanish and no router says why: a black hole"
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: nothing answers with UDP at ('$B4', 1060), and port unreachable is rate-limited; run netdemo udp-server there to measure the black hole"
}

@test "a host that never answers ends with exit 3 and a clear message" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	netns_silence "$NS_B"
	SECONDS=0
	run -3 --separate-stderr probe_from_a "$B4"
	((SECONDS <= 6))
	refute_line --partial "Path MTU"
	[[ ${stderr_lines[0]} =~ ^"netdemo mtu-probe: no answer from ('$B4', 1060) to 5 probes in 4."[0-9]" seconds"$ ]]
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: is the host up? a netdemo udp-server at ('$B4', 1060) would confirm sizes by its replies"
}

@test "a silent host behind a talking router: exit 3, R's word in the hint" {
	netns_require nft
	netns_topology 1500 1280
	netns_silence "$NS_B"
	run -3 --separate-stderr probe_from_a "$B4" --wait 0.2
	assert_line "Router ('$R4', 0) says the next hop MTU is 1280"
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: ('$R4', 0) said the next hop MTU is 1280; beyond it nothing answered"
}

@test "the probe budget bounds a black-hole search, which says what it knows" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	server_on_b "$B4"
	run -3 --separate-stderr probe_from_a "$B4" -p "$SRV_PORT" \
	    --max-probes 6 --wait 0.2
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: gave up after 6 probes in ${stderr_lines[0]##* in }"
	[[ ${stderr_lines[0]} =~ "the path MTU to ('$B4', $SRV_PORT) is between 784 and 1499"$ ]]
}

@test "the time budget bounds the search" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	netns_silence "$NS_B"
	SECONDS=0
	run -3 --separate-stderr probe_from_a "$B4" --timeout 0.5
	((SECONDS <= 2))
	[[ ${stderr_lines[0]} =~ ^"netdemo mtu-probe: no answer from ('$B4', 1060) to "[0-9]+" probes in 0.5 seconds"$ ]]
}
