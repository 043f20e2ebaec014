#!/usr/bin/env bats
# mtu_probe.bats: netdemo mtu-probe and big_sender.  The path-MTU tests run
# in namespaces built per test (host A - router R - host B, see
# test_helper/netns.bash), so every route cache starts fresh and no traffic
# leaves them; they need root and skip without it.

load test_helper/common
load test_helper/netns
load test_helper/native

setup_file() {
	nd_setup_links
}

# probe_from_a ARGS...: netdemo mtu-probe run in A, bounded.
probe_from_a() {
	in_ns "$NS_A" netdemo mtu-probe "$@"
}

# server_on_b ADDR [ARGS...]: a netdemo udp-server on B, answering every
# datagram with its length (bound beyond loopback, so limited to 10 replies
# a second to each source unless ARGS say otherwise); sets SRV_PORT.
server_on_b() {
	start_server SRV ip netns exec "$NS_B" "$NETDEMO" udp-server "$@" -p 0
}

# slow_server_on_b ADDR DELAY: test_helper/slow_udp.py on B, answering as
# udp-server does, but DELAY seconds late; sets SLOW_PORT.
slow_server_on_b() {
	start_server SLOW ip netns exec "$NS_B" python3 \
	    "$BATS_TEST_DIRNAME/test_helper/slow_udp.py" "$1" 0 "$2" \
	    "$ND_SERVER_LIFETIME"
}

# loss_on_b PERCENT: B drops that share of the UDP datagrams that come in,
# at random (these kernels have no netem).
loss_on_b() {
	ip netns exec "$NS_B" nft -f - <<NFT
table inet nd_loss {
	chain input {
		type filter hook input priority 0; policy accept;
		meta l4proto udp numgen random mod 100 < $1 drop
	}
}
NFT
}

# probe_runs N ARGS...: N runs of mtu-probe from A at once, each bounded;
# a line per run: "STATUS|the Path MTU line|the first line on stderr".
probe_runs() {
	local n=$1 i dir=$BATS_TEST_TMPDIR/runs pids=()
	shift
	mkdir -p "$dir"
	for ((i = 0; i < n; i++)); do
		probe_from_a "$@" >"$dir/$i.out" 2>"$dir/$i.err" 3>&- &
		pids+=("$!")
	done
	for ((i = 0; i < n; i++)); do
		wait "${pids[i]}"
		echo "$?|$(grep '^Path MTU' "$dir/$i.out")|$(head -1 "$dir/$i.err")"
	done
}

# each_run_says MTU: every line of probe_runs in $output is the true path
# MTU with exit 0, or exit 3 with the loss message: never another number.
each_run_says() {
	local line
	local loss="^3\|\|netdemo mtu-probe: the path to \('[^']*', [0-9]+\) loses datagrams at random \([0-9]+ of [0-9]+ probes that fit went unanswered, [0-9]+%\): cannot tell its MTU$"

	while IFS= read -r line; do
		if [[ $line != "0|Path MTU: $1|" && ! $line =~ $loss ]]; then
			printf 'a run said: %s\nall runs:\n%s\n' "$line" \
			    "$output" >&2
			return 1
		fi
	done <<<"$output"
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
	    --source --interface --tos --ttl --port -4 -6 --json --quiet \
	    --help; do
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
 invalid int value: '67' (must be 68 to 65575)"
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

@test "-6 with an IPv4 address, -4 with an IPv6 one, are usage errors" {
	usage_error "netdemo mtu-probe: error: cannot use -6 with the IPv4 address '127.0.0.1'" \
	    netdemo mtu-probe -6 127.0.0.1
	usage_error "netdemo mtu-probe: error: cannot use -4 with the IPv6 address '::1'" \
	    netdemo mtu-probe -4 ::1
	usage_error "big_sender: error: cannot use -6 with the IPv4 address '127.0.0.1'" \
	    big_sender -6 127.0.0.1
}

@test "a --source of the other family than the probes is a usage error" {
	usage_error "netdemo mtu-probe: error: cannot use the source '127.0.0.1' with '::1': not the same address family" \
	    netdemo mtu-probe -s 127.0.0.1 ::1
	usage_error "netdemo mtu-probe: error: cannot use -4 with the IPv6 source '::1'" \
	    netdemo mtu-probe -4 -s ::1 localhost
}

# --- loopback: no namespaces needed --------------------------------------

@test "mtu-probe on loopback says at least 65535: no IPv4 datagram is larger" {
	start_server SRV udp-server -p 0
	run bounded netdemo mtu-probe 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 "Probing the path MTU to ('127.0.0.1', $SRV_PORT)"
	assert_line --index 1 "Probing with 65535-byte datagrams"
	assert_line --index 2 \
	    "The server ('127.0.0.1', $SRV_PORT) replied 'Your data was 65507 bytes long'"
	assert_line --index 3 "Path MTU: at least 65535"
	assert_line --index 4 "Largest UDP payload: at least 65507"
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
	assert_line "Path MTU: at least 65535"
	assert_line "Decided by: port unreachable from ('127.0.0.1', $port)"
}

@test "mtu-probe --json prints one event per line, its fields data" {
	start_server SRV udp-server -p 0
	run bounded netdemo mtu-probe --json 127.0.0.1 -p "$SRV_PORT"
	assert_success
	local to="{\"host\": \"127.0.0.1\", \"port\": $SRV_PORT}"
	assert_line --index 0 "{\"event\": \"start\", \"to\": $to, \"min\": 68, \"max\": 65535}"
	assert_line --index 1 '{"event": "probe", "ip_bytes": 65535, "bytes": 65507}'
	assert_line --index 2 "{\"event\": \"reply\", \"from\": $to, \"data\": \"Your data was 65507 bytes long\", \"base64\": false, \"bytes\": 30, \"ip_bytes\": 65535}"
	assert_line --index 3 '{"event": "pmtu", "mtu": 65535, "bound": "max"}'
	assert_line --index 4 '{"event": "payload", "bytes": 65507}'
	assert_line --index 5 "{\"event\": \"evidence\", \"fits_from\": $to, \"too_big\": \"max\", \"fits\": \"reply\"}"
	assert_line --index 6 --regexp '^\{"event": "done", "probes": 1, "seconds": [0-9.]+\}$'
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	json_check "$BATS_TEST_TMPDIR/out.json"
}

@test "no IPv4 probe is larger than 65535, whatever --max says" {
	local port
	port=$(free_port udp)
	run bounded netdemo mtu-probe --max 65575 127.0.0.1 -p "$port"
	assert_success
	assert_line --index 0 "Probing the path MTU to ('127.0.0.1', $port)"
	assert_line --index 1 "Probing with 65535-byte datagrams"
	assert_line "Path MTU: at least 65535"
}

@test "mtu-probe --max caps the first probe and says at least" {
	start_server SRV udp-server -p 0
	run bounded netdemo mtu-probe --max 9000 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 1 "Probing with 9000-byte datagrams"
	assert_line "Path MTU: at least 9000"
	assert_line "Largest UDP payload: at least 8972"
}

@test "mtu-probe -6 ::1 and big_sender -6 ::1 agree on the loopback MTU" {
	local port mtu
	run bounded big_sender -6 ::1
	assert_success
	assert_line --index 0 'Alas, the datagram did not make it'
	mtu=${lines[1]#Actual MTU: }
	port=$(free_port udp ::1)
	run bounded netdemo mtu-probe -6 ::1 -p "$port"
	assert_success
	assert_line "This host says the next hop MTU is $mtu"
	assert_line "Path MTU: $mtu"
	assert_line "Decided by: this host's link MTU and port unreachable from ('::1', $port, 0, 0)"
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

@test "evidence in JSON says which kinds, and from whom" {
	netns_require
	netns_topology 1500 1280
	server_on_b "$B4"
	run probe_from_a "$B4" -p "$SRV_PORT" --json
	assert_success
	assert_line "{\"event\": \"toobig\", \"from\": {\"host\": \"$R4\", \"port\": 0}, \"mtu\": 1280, \"origin\": \"router\", \"ip_bytes\": 1500}"
	assert_line --regexp "^\{\"event\": \"toobig\", \"mtu\": 1500, \"origin\": \"local\", \"from\": \{\"host\": \"$A4\", \"port\": [0-9]+\}, \"ip_bytes\": 65535\}$"
	assert_line '{"event": "pmtu", "mtu": 1280, "bound": "none"}'
	assert_line "{\"event\": \"evidence\", \"too_big_from\": {\"host\": \"$R4\", \"port\": 0}, \"fits_from\": {\"host\": \"$B4\", \"port\": $SRV_PORT}, \"too_big\": \"icmp\", \"fits\": \"reply\"}"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	json_check "$BATS_TEST_TMPDIR/out.json"
}

@test "a server that answers slowly behind R is waited for by its own clock" {
	netns_require
	netns_topology 1500 1280
	# R answers within a millisecond; B's server takes half a second.
	slow_server_on_b "$B4" 0.5
	SECONDS=0
	run probe_from_a "$B4" -p "$SLOW_PORT" --wait 2 --tries 5
	assert_success
	((SECONDS <= 4))
	refute_line --partial "No answer"
	assert_line "The server ('$B4', $SLOW_PORT) replied 'Your data was 1252 bytes long'"
	assert_line "Path MTU: 1280"
	assert_line "Decided by: ICMP from ('$R4', 0) and replies from ('$B4', $SLOW_PORT)"
}

@test "--max below the path MTU says at least, in lines and in JSON" {
	netns_require
	netns_topology 1500 1280
	server_on_b "$B4"
	run probe_from_a "$B4" -p "$SRV_PORT" --max 1200
	assert_success
	assert_line --index 1 "Probing with 1200-byte datagrams"
	assert_line "Path MTU: at least 1200"
	assert_line "Largest UDP payload: at least 1172"
	assert_line "Decided by: replies from ('$B4', $SRV_PORT)"
	run probe_from_a "$B4" -p "$SRV_PORT" --max 1200 --json
	assert_success
	assert_line '{"event": "pmtu", "mtu": 1200, "bound": "max"}'
	assert_line '{"event": "payload", "bytes": 1172}'
	assert_line "{\"event\": \"evidence\", \"fits_from\": {\"host\": \"$B4\", \"port\": $SRV_PORT}, \"too_big\": \"max\", \"fits\": \"reply\"}"
}

@test "--min above the path MTU says at most, and probes nothing below --min" {
	netns_require
	netns_topology 1500 1280
	server_on_b "$B4"
	run probe_from_a "$B4" -p "$SRV_PORT" --min 1400
	assert_success
	refute_line "Probing with 1280-byte datagrams"
	assert_line "Router ('$R4', 0) says the next hop MTU is 1280"
	assert_line "Path MTU: at most 1280"
	assert_line "Largest UDP payload: at most 1252"
	assert_line "Decided by: ICMP from ('$R4', 0)"
	run probe_from_a "$B4" -p "$SRV_PORT" --min 1400 --json
	assert_success
	assert_line '{"event": "pmtu", "mtu": 1280, "bound": "min"}'
	assert_line "{\"event\": \"evidence\", \"too_big_from\": {\"host\": \"$R4\", \"port\": 0}, \"too_big\": \"icmp\", \"fits\": \"none\"}"
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

@test "a network R cannot reach ends with exit 1, R's ICMP named, and a hint" {
	netns_require
	netns_topology 1500 1280
	run -1 --separate-stderr probe_from_a 192.0.2.1
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: probe to ('192.0.2.1', 1060): ICMP network unreachable from ('$R4', 0): OSError: [Errno 101] Network is unreachable"
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: the router ('$R4', 0) has no route onward to that network; check the routes past it"
}

@test "a network with no local route ends with exit 1 and the errno text" {
	netns_require
	netns_topology 1500 1280
	# R has no default route: the kernel refuses at once.
	run -1 in_ns "$NS_R" netdemo mtu-probe 192.0.2.1
	assert_line --index 0 "netdemo mtu-probe: connect to ('192.0.2.1', 1060): OSError: [Errno 101] Network is unreachable"
}

@test "--ttl too small ends at R's time exceeded, named with R, exit 1" {
	netns_require
	netns_topology 1500 1280
	server_on_b "$B4"
	run -1 --separate-stderr probe_from_a "$B4" -p "$SRV_PORT" --ttl 1
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: probe to ('$B4', $SRV_PORT): ICMP time exceeded from ('$R4', 0): OSError: [Errno 113] No route to host"
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: the TTL ran out at the router ('$R4', 0); raise --ttl to reach further"
	run -1 --separate-stderr probe_from_a -6 "$B6" -p "$SRV_PORT" --ttl 1
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: probe to ('$B6', $SRV_PORT, 0, 0): ICMP time exceeded from ('$R6', 0, 0, 0): OSError: [Errno 113] No route to host"
	run probe_from_a "$B4" -p "$SRV_PORT" --ttl 2
	assert_success
	assert_line "Path MTU: 1280"
}

@test "-s, -I and --tos aim the probes" {
	netns_require nft
	netns_topology 1500 1280
	server_on_b "$B4"
	# B takes only datagrams marked CS1 (TOS 0x20).
	ip netns exec "$NS_B" nft -f - <<NFT
table inet nd_tos {
	chain input {
		type filter hook input priority 0; policy accept;
		udp dport $SRV_PORT ip dscp != cs1 drop
	}
}
NFT
	run probe_from_a "$B4" -p "$SRV_PORT" -s "$A4" -I a0 --tos 0x20
	assert_success
	assert_line "Path MTU: 1280"
	# Only the 1280-byte probe gets past R, and it came from A's address.
	run grep -c "^The client at ('$A4', [0-9]*) says" "$SRV_OUT"
	assert_output 1
	run -3 probe_from_a "$B4" -p "$SRV_PORT" --wait 0.1
	refute_line --partial "Path MTU"
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
	run probe_from_a "$B4" -p "$SRV_PORT" --json --wait 0.2
	assert_success
	assert_line "{\"event\": \"evidence\", \"fits_from\": {\"host\": \"$B4\", \"port\": $SRV_PORT}, \"too_big\": \"silence\", \"fits\": \"reply\"}"
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/out.json"
	json_check "$BATS_TEST_TMPDIR/out.json"
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
	# The top, then the smallest size 8 times: loss at random must not
	# pass for a silent host.
	SECONDS=0
	run -3 --separate-stderr probe_from_a "$B4" --wait 0.5
	((SECONDS <= 7))
	refute_line --partial "Path MTU"
	[[ ${stderr_lines[0]} =~ ^"netdemo mtu-probe: no answer from ('$B4', 1060) to 10 probes in 4."[0-9]" seconds"$ ]]
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: is the host up? a netdemo udp-server at ('$B4', 1060) would confirm sizes by its replies"
}

@test "a silent host behind a talking router: exit 3, R's word in the hint" {
	netns_require nft
	netns_topology 1500 1280
	netns_silence "$NS_B"
	run -3 --separate-stderr probe_from_a "$B4" --wait 0.2
	assert_line "Router ('$R4', 0) says the next hop MTU is 1280"
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: ('$R4', 0) said the next hop MTU is 1280; beyond it nothing answered"
	run -3 --separate-stderr probe_from_a "$B4" --wait 0.2 --max 1400 \
	    --max-probes 1
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: no answer from ('$B4', 1060) to 1 probe in 0.0 seconds"
}

@test "the probe budget bounds a black-hole search, which says what it knows" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	server_on_b "$B4"
	run -3 --separate-stderr probe_from_a "$B4" -p "$SRV_PORT" \
	    --max-probes 9 --wait 0.2
	assert_equal "${stderr_lines[0]}" "netdemo mtu-probe: gave up after 9 probes in ${stderr_lines[0]##* in }"
	[[ ${stderr_lines[0]} =~ "the path MTU to ('$B4', $SRV_PORT) is between 1142 and 1500"$ ]]
	assert_equal "${stderr_lines[1]}" "netdemo mtu-probe: hint: more --max-probes or a longer --timeout would narrow it down"
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

@test "every error event ending a run carries its exit status and a hint" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	server_on_b "$B4"
	local out=$BATS_TEST_TMPDIR/errors.json
	# Exit 3: the budget; a black hole nothing answers in; --ttl: exit 1.
	run -3 probe_from_a "$B4" -p "$SRV_PORT" --max-probes 4 --wait 0.2 \
	    --json
	printf '%s\n' "$output" >>"$out"
	run -3 probe_from_a "$B4" -p "$(free_port udp)" --wait 0.2 --json
	printf '%s\n' "$output" >>"$out"
	run -1 probe_from_a "$B4" -p "$SRV_PORT" --ttl 1 --json
	printf '%s\n' "$output" >>"$out"
	# Exit 3: a host that never answers.
	netns_silence "$NS_B"
	run -3 probe_from_a "$B4" -p "$SRV_PORT" --wait 0.05 --json
	printf '%s\n' "$output" >>"$out"
	grep '^{' "$out" >"$out.only"
	json_check "$out.only"
	run grep -c '^{"event": "error", "message": "[^"]*", .*"hint": "[^"]*", "exit": 3}$' "$out.only"
	assert_output 3
	run grep -c '^{"event": "error", "message": "[^"]*", "exception": "OSError", "errno": 113, "strerror": "No route to host", "hint": "[^"]*", "exit": 1}$' "$out.only"
	assert_output 1
	run grep -c '"event": "error"' "$out.only"
	assert_output 4
}

# --- loss at random and a rate-limited server -----------------------------

@test "random loss on a clean path is never taken for a smaller MTU" {
	netns_require nft
	netns_topology 1500 1280
	server_on_b "$B4" --rate-limit 0
	loss_on_b 30
	# --tries 1 is the least a user can ask for: loss must still be told
	# from a size too big.
	run probe_runs 20 "$B4" -p "$SRV_PORT" --tries 1 --wait 0.2 --timeout 8
	each_run_says 1280
}

@test "random loss in a black hole is never taken for a smaller MTU" {
	netns_require nft
	netns_topology 1500 1280
	netns_no_icmp_from_router
	server_on_b "$B4" --rate-limit 0
	loss_on_b 30
	run probe_runs 20 "$B4" -p "$SRV_PORT" --wait 0.2 --timeout 8
	each_run_says 1280
}

@test "a udp-server's default rate limit holds back none of the probes' replies" {
	netns_require nft
	# 1499: the bisection climbs close to 1500, which takes many replies.
	netns_topology 1500 1499
	netns_no_icmp_from_router
	server_on_b "$B4"
	run probe_from_a "$B4" -p "$SRV_PORT" --wait 0.2
	assert_success
	assert_line "Path MTU: 1499"
	run probe_from_a "$B4" -p "$SRV_PORT" --wait 0.2
	assert_success
	assert_line "Path MTU: 1499"
	stop_server SRV
	run cat "$SRV_ERR"
	refute_output --partial "rate limit"
}
