#!/usr/bin/env bats
# flood.bats: udp-client --flood tells the truth about what it measured:
# echo servers count as answering, in-flight requests are not lost, a
# server that goes away, rate-limits or loses most is said so in the text
# and the exit status, and long runs report as they go.

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

teardown() {
	stop_servers
	ns_cleanup
}

# jfield FILE KEY [EVENT]: what KEY holds in FILE's EVENT (summary) line.
jfield() {
	python3 -c '
import json, sys
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o["event"] == sys.argv[3]:
        v = o[sys.argv[2]]
        print("null" if v is None else v)' "$1" "$2" "${3:-summary}"
}

# start_udp_quiet PREFIX CMD...: start_bg for a server that prints no
# Listening line (socat); waits until something listens on UDP $PORT.
start_udp_quiet() {
	local now deadline
	start_bg "$@" || return
	_nd_now_ms now
	deadline=$((now + ND_START_TIMEOUT * 1000))
	until [[ -n $(ss -Hlun "sport = :$PORT") ]]; do
		_nd_now_ms now
		((now < deadline)) || fail "nothing listens on UDP port $PORT"
		_nd_sleep 0.02
	done
}

# ns_pair: namespaces $NS_C (10.9.0.1) and $NS_S (10.9.0.2), a veth
# between them; skips unless root with ip netns.
ns_pair() {
	ns_need
	NS_C=ndfl$$c$RANDOM NS_S=ndfl$$s$RANDOM
	ns_add "$NS_C" && ns_add "$NS_S" &&
	    ns_veth "$NS_C" 10.9.0.1/24 "$NS_S" 10.9.0.2/24
}

@test "udp-client --flood counts every echo from socat as an answer, none odd" {
	PORT=$(free_port udp)
	start_udp_quiet SOCAT socat "UDP-RECVFROM:$PORT,fork" EXEC:cat
	run --separate-stderr bounded netdemo udp-client -p "$PORT" \
	    --flood 1 --window 1 --json
	assert_success
	echo "$output" >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" server)" echo
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" odd)" 0
	(($(jfield "$BATS_TEST_TMPDIR/c.json" replies) > 0))
}

@test "udp-client --flood measures a python echo server, every echo counted" {
	local f=$BATS_TEST_TMPDIR/c.json before counted echoed
	start_server SRV peer udp-server -p 0 --echo --deadline 60
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 0.3
	assert_success
	assert_line --index 1 --regexp '^  [1-9][0-9]* replies/s from an echo server: [1-9][0-9]* answered in 0\.3[0-9]* seconds$'
	refute_output --partial 'Odd replies'
	before=$(grep -c '^The client at' "$SRV_OUT")
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 1 --window 64 --json
	assert_success
	echo "$output" >"$f"
	json_check "$f"
	assert_equal "$(jfield "$f" server)" echo
	assert_equal "$(jfield "$f" odd)" 0
	counted=$(($(jfield "$f" replies) + $(jfield "$f" drained) +
	    $(jfield "$f" late)))
	stop_server SRV
	echoed=$(($(grep -c '^The client at' "$SRV_OUT") - before))
	# Every echo that came back in time to be read is an answer; only
	# those still on their way when the run ended (64 at most) are not.
	((counted > 100 && counted <= echoed && echoed <= counted + 64))
}

@test "udp-client --flood takes a reply sent twice for one answer, not two" {
	local f=$BATS_TEST_TMPDIR/c.json answered seen
	start_server SRV peer udp-server -p 0 --echo --twice --deadline 60
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 0.5 --window 1 --json
	assert_success
	echo "$output" >"$f"
	stop_server SRV
	answered=$(jfield "$f" replies)
	seen=$(grep -c '^The client at' "$SRV_OUT")
	# One request out at a time: no more answers than requests the
	# server saw, and each answer's copy is counted as a copy.
	((answered > 10 && answered <= seen))
	(($(jfield "$f" copies) >= answered - 1))
}

@test "udp-client --flood counts the loss behind a server that sends each reply twice" {
	local f=$BATS_TEST_TMPDIR/c.json loss sent sum k
	# Three in ten requests unanswered, each answer sent twice: the
	# copies must not pass for late answers to the lost ones.
	start_server SRV peer udp-server -p 0 --echo --twice --drop 0.3 \
	    --deadline 60
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 1 --window 1 --json
	assert_success
	echo "$output" >"$f"
	json_check "$f"
	loss=$(jfield "$f" loss)
	assert [ "${loss%.*}" -ge 15 ]
	assert [ "${loss%.*}" -le 45 ]
	(($(jfield "$f" copies) >= $(jfield "$f" replies) - 1))
	sent=$(jfield "$f" sent)
	sum=0
	for k in replies drained lost late refused errors in_flight; do
		sum=$((sum + $(jfield "$f" "$k")))
	done
	assert_equal "$sum" "$sent"
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 0.5 --window 1
	assert_success
	assert_line --regexp '^  Replies that came twice, counted once: [1-9][0-9]*$'
}

@test "udp-client --flood names a rate-limited udp-server and exits 3" {
	ns_pair
	start_server SRV ip netns exec "$NS_S" netdemo udp-server 10.9.0.2 -p 0
	run --separate-stderr bounded ip netns exec "$NS_C" netdemo udp-client \
	    10.9.0.2 -p "$SRV_PORT" --flood 4
	assert_failure 3
	assert_line --regexp '^  The server seems to rate-limit: a steady 10 replies/s while most requests were lost \(a udp-server bound beyond loopback does: see udp-server --rate-limit\)$'
	assert_regex "$(sed -n 1p <<<"$stderr")" \
	    '^netdemo udp-client: most requests were lost: [0-9]+ of [0-9]+ \(9[0-9]\.[0-9]%\) went unanswered$'
	assert_equal "$(sed -n 2p <<<"$stderr")" \
	    "netdemo udp-client: hint: the replies came at a steady 10 a second: the server seems to rate-limit (a udp-server bound beyond loopback answers each source 10 times a second: see udp-server --rate-limit)"
}

@test "udp-client --flood does not take random loss for a rate limit" {
	ns_pair
	ip netns exec "$NS_S" nft -f - <<-'EOF' || skip "nftables does not work here"
	table inet ndflood {
		chain input {
			type filter hook input priority 0; policy accept;
			udp dport 1024-65535 numgen random mod 10 < 8 drop
		}
	}
	EOF
	start_server SRV ip netns exec "$NS_S" netdemo udp-server 10.9.0.2 -p 0 \
	    --rate-limit 0
	run --separate-stderr bounded ip netns exec "$NS_C" netdemo udp-client \
	    10.9.0.2 -p "$SRV_PORT" --flood 3 --json
	assert_failure 3
	echo "$output" | grep '^{' >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" rate_limit)" null
	run jfield "$BATS_TEST_TMPDIR/c.json" loss
	assert_output --regexp '^(7[5-9]|8[0-5])(\.[0-9]+)?$'
	assert_equal "$(head -1 <<<"$stderr")" \
	    "netdemo udp-client: $(jfield "$BATS_TEST_TMPDIR/c.json" message error)"
	run jfield "$BATS_TEST_TMPDIR/c.json" message error
	assert_output --regexp '^most requests were lost: [0-9]+ of [0-9]+ \((7[5-9]|8[0-5])\.[0-9]%\) went unanswered$'
}

@test "udp-client --flood that loses most to a --drop 0.9 server exits 3, saying so" {
	start_server SRV netdemo udp-server -p 0 --drop 0.9
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 1 --window 16
	assert_failure 3
	assert_line --index 2 --regexp '^  [0-9]+ of [0-9]+ lost \((8[5-9]|9[0-5])(\.[0-9]+)?%\), [0-9]+ answered late, 0 still in flight \(not counted\)$'
	refute_output --partial 'rate-limit'
	assert_equal "$(sed -n 1p <<<"$stderr" | cut -d: -f1-2)" \
	    "netdemo udp-client: most requests were lost"
	assert_equal "$(sed -n 2p <<<"$stderr")" \
	    "netdemo udp-client: hint: the path or the server drops most datagrams: a firewall, a congested link, or a server that drops on purpose (udp-server --drop)"
}

@test "udp-client --flood says when the server went away, and exits 1" {
	start_server SRV netdemo udp-server -p 0
	local out=$BATS_TEST_TMPDIR/c.out err=$BATS_TEST_TMPDIR/c.err pid rc=0
	bounded netdemo udp-client -p "$SRV_PORT" --flood 3 >"$out" 2>"$err" \
	    3>&- &
	pid=$!
	# The server answers for a while, then goes away mid-flood.
	wait_for_line "$SRV_OUT" '^The client at '
	stop_server SRV
	wait "$pid" || rc=$?
	assert_equal "$rc" 1
	run cat "$out"
	assert_line --regexp '^  [1-9][0-9]* refused \(ICMP port unreachable\), from [0-2]\.[0-9]+ to [23]\.[0-9]+ s into the run$'
	assert_line --regexp '^  [12]\.[0-9]-[23]\.[0-9] s: +[0-9]+ replies/s, [0-9]+ lost \([0-9.]+%\), [1-9][0-9]* refused, p50 ([0-9.]+|n/a) us$'
	run cat "$err"
	assert_line --index 0 "netdemo udp-client: recv from ('127.0.0.1', $SRV_PORT): ConnectionRefusedError: [Errno 111] Connection refused"
	assert_line --index 1 --regexp '^netdemo udp-client: hint: [1-9][0-9]* requests were refused, the first [0-2]\.[0-9]+ seconds into the run: did the server stop\?$'
}

@test "udp-client --flood stopped by SIGINT counts what is out as in flight, not lost" {
	local f=$BATS_TEST_TMPDIR/c.json
	start_server SRV netdemo udp-server -p 0
	run --separate-stderr timeout --foreground --preserve-status -k 5 -s INT 1.5 \
	    netdemo udp-client -p "$SRV_PORT" --flood 10 --json
	assert_equal "$status" 130
	echo "$output" >"$f"
	# Nothing is lost on loopback: what was out at the signal is in
	# flight, and the totals print.
	(($(jfield "$f" lost) <= 2))
	(($(jfield "$f" in_flight) >= 16))
	json_check "$f"
	assert_equal "$(jfield "$f" loss)" \
	    "$(python3 -c 'import sys; a = [int(x) for x in sys.argv[1:]]
print(round(100 * a[0] / (a[1] - a[2]), 2))' "$(jfield "$f" lost)" \
	    "$(jfield "$f" sent)" "$(jfield "$f" in_flight)")"
	assert_equal "$(grep -c '"event": "interval"' "$f")" 2
	run --separate-stderr timeout --foreground --preserve-status -k 5 -s INT 1.5 \
	    netdemo udp-client -p "$SRV_PORT" --flood 10
	assert_equal "$status" 130
	# Columns as wide as the run's 10.0 seconds.
	assert_line --index 1 --regexp '^   0\.0- 1\.0 s: +[1-9][0-9]* replies/s, '
	assert_line --regexp '^  [0-2] of [1-9][0-9]* lost \([0-9.]+%\), [0-9]+ answered late, [1-9][0-9]* still in flight \(not counted\)$'
}

@test "udp-client --flood reports each second as JSON interval events" {
	start_server SRV netdemo udp-server -p 0
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 3 --json
	assert_success
	echo "$output" >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	run python3 - "$BATS_TEST_TMPDIR/c.json" <<-'PY'
	import json, sys
	ev = [json.loads(l) for l in open(sys.argv[1])]
	iv = [o for o in ev if o['event'] == 'interval']
	s = ev[-1]
	assert s['event'] == 'summary', s
	# One after another from the start, about a second each.
	assert iv[0]['start'] == 0, iv[0]
	for a, b in zip(iv, iv[1:]):
	    assert a['end'] == b['start'], (a, b)
	assert all(0.9 <= o['seconds'] <= 1.2 for o in iv), iv
	assert s['start'] == 0 and s['end'] == iv[-1]['end'], s
	# The intervals add up to the run, the drain aside.
	for k in 'replies', 'sent', 'lost', 'refused', 'odd':
	    assert sum(o[k] for o in iv) == s[k] + (k == 'lost') * s['late'], k
	# Each request counted once.
	assert s['sent'] == sum(s[k] for k in ('replies', 'drained', 'lost',
	    'late', 'refused', 'errors', 'in_flight')), s
	print(len(iv))
	PY
	assert_success
	((output >= 2 && output <= 4))
}

@test "udp-client --flood --report sets the interval, 0 only sums up" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 1.2 --report 0.5
	assert_success
	# What the interval line says, not how many: on a loaded machine a
	# request may outlast the 20 ms timeout even on loopback.
	assert_line --index 1 --regexp '^  0\.0-0\.5 s: +[1-9][0-9]* replies/s, [0-9]+ lost \([0-9.]+%\), p50 [0-9.]+ us$'
	assert_line --index 2 --regexp '^  0\.5-1\.0 s: '
	assert_line --index 3 --regexp '^  1\.0-1\.2 s: '
	assert_line --index 4 --regexp '^  [1-9][0-9]* replies/s from the book.s server: '
	run bounded netdemo udp-client -p "$SRV_PORT" --flood 1.2 --report 0
	assert_success
	assert_equal "${#lines[@]}" 4
	usage_error "netdemo udp-client: error: argument --report: invalid seconds value: '-1' (must be 0 to 3600 seconds)" \
	    netdemo udp-client --flood 1 --report -1
}

@test "udp-client --flood with nothing back says n/a, not 0.0, and reads right" {
	start_server SRV peer udp-server -p 0 --silent --deadline 60
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 0.3 --window 1
	assert_failure 3
	assert_line --index 0 "Flooding ('127.0.0.1', $SRV_PORT) for 0.3 seconds, 1 datagram in flight"
	assert_line --index 1 --regexp '^  0 replies/s: 0 answered in 0\.3[0-9]* seconds$'
	assert_line --index 3 '  Round trip: p50 n/a us, p99 n/a us'
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 1 --window 1 --json
	assert_failure 3
	echo "$output" | grep '^{' >"$BATS_TEST_TMPDIR/c.json"
	json_check "$BATS_TEST_TMPDIR/c.json"
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" p50_us)" null
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" server)" none
	assert_equal "$(jfield "$BATS_TEST_TMPDIR/c.json" message error)" \
	    "no reply in 1.0 seconds: I think the server is down"
}

@test "udp-client --flood carries IPv4's largest datagram, 65507 bytes" {
	start_server SRV netdemo udp-server -p 0
	# One byte more would not fit: the resends of the largest message
	# are one byte shorter each instead.
	run --separate-stderr bounded netdemo udp-client -p "$SRV_PORT" \
	    --flood 0.3 --window 1 -m "$(printf '%65507s' '')"
	assert_success
	assert_line --index 1 --regexp '^  [1-9][0-9]* replies/s from the book.s server: '
	refute_output --partial 'Errors'
	assert_equal "$stderr" ''
}
