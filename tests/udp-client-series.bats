#!/usr/bin/env bats
# udp-client -c/-i: a series like ping.  Each request is told apart from a
# late answer to another, checked against udp-server's own drops (--seed
# makes them known in advance); interval reports; the exits of a series.

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

# drops SEED N: the numbers (1-based) of the first N datagrams that
# `udp-server --drop 0.5 --seed SEED` drops, one a line: core/rng.c's
# splitmix64, as the server draws one number per datagram.
drops() {
	python3 - "$1" "$2" <<'PY'
import sys
state, n = int(sys.argv[1]), int(sys.argv[2])
M = (1 << 64) - 1
for k in range(1, n + 1):
    state = (state + 0x9e3779b97f4a7c15) & M
    z = state
    z = ((z ^ (z >> 30)) * 0xbf58476d1ce4e5b9) & M
    z = ((z ^ (z >> 27)) * 0x94d049bb133111eb) & M
    if ((z ^ (z >> 31)) >> 11) * 2.0 ** -53 < 0.5:
        print(k)
PY
}

@test "a series against --drop 0.5 --seed answers exactly the requests the server keeps" {
	start_server SRV netdemo udp-server -p 0 --drop 0.5 --seed 11
	dropped=$(drops 11 12)
	# Both kinds among the twelve, or the test proves nothing.
	[[ -n $dropped && $(wc -l <<<"$dropped") -lt 12 ]]
	# Five requests wait together (-i 0.1, -W 0.5): an answer that came
	# after later requests left must still be matched to its own.
	run --separate-stderr bounded netdemo udp-client -c 12 -i 0.1 -W 0.5 -p "$SRV_PORT" -m probe
	assert_success
	assert_line --index 0 --regexp "^Client socket name is \('127\.0\.0\.1', [0-9]+\)$"
	for k in $(seq 12); do
		if grep -qx "$k" <<<"$dropped"; then
			assert_line "No reply to seq $k within 0.5 seconds"
			refute_line --regexp "^Reply from .*: seq $k,"
		else
			# Request k says "probe" and k - 1 dots: a length of
			# its own for each of the twelve.
			len=$((5 + k - 1))
			assert_line --regexp "^Reply from \('127\.0\.0\.1', $SRV_PORT\): seq $k, [0-9.]+ ms, 'Your data was $len bytes long'$"
		fi
	done
	lost=$(wc -l <<<"$dropped")
	pct=$(python3 -c "print(round(100 * $lost / 12, 1))")
	assert_line --regexp "^12 sent, $((12 - lost)) received, 0 failed, $pct% loss, 0 late, in [0-9.]+ seconds$"
	assert_line --regexp '^round trip min/avg/max/mdev = [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$'
	assert_line "--- ('127.0.0.1', $SRV_PORT) statistics ---"
	# The server saw the same: its drops are the lost requests.
	for ((k = 12; k > 0; k--)); do
		grep -qx "$k" <<<"$dropped" || break
	done
	wait_for_line "$SRV_OUT" "says 'probe\.{$((k - 1))}'$"
	run grep -c '^Pretending to drop' "$SRV_OUT"
	assert_output "$lost"
}

@test "a series in JSON: an event per request, and the summary" {
	start_server SRV netdemo udp-server -p 0 --drop 0.5 --seed 11
	run bounded netdemo udp-client --json -c 6 -i 0.1 -W 0.5 -p "$SRV_PORT" -m probe
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/c.json"
	run json_check "$BATS_TEST_TMPDIR/c.json"
	assert_success
	dropped=$(drops 11 6 | paste -sd,)
	run python3 - "$BATS_TEST_TMPDIR/c.json" "$dropped" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
dropped = {int(k) for k in sys.argv[2].split(',') if k}
got = {e['seq'] for e in ev if e['event'] == 'reply'}
lost = {e['seq'] for e in ev if e['event'] == 'lost'}
assert got == set(range(1, 7)) - dropped, (got, dropped)
assert lost == dropped, (lost, dropped)
s = [e for e in ev if e['event'] == 'summary'][0]
assert (s['sent'], s['received'], s['lost']) == (6, 6 - len(dropped), len(dropped)), s
assert s['loss'] == round(100 * len(dropped) / 6, 1), s
assert all(e['rtt_ms'] >= 0 for e in ev if e['event'] == 'reply')
print('ok')
PY
	assert_output ok
}

@test "a 3-second series reports each second: three interval events, lines when -i is below --report" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client --json -c 30 -i 0.1 -p "$SRV_PORT" -m x
	assert_success
	printf '%s\n' "$output" >"$BATS_TEST_TMPDIR/c.json"
	run json_check "$BATS_TEST_TMPDIR/c.json"
	assert_success
	run python3 - "$BATS_TEST_TMPDIR/c.json" <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
iv = [e for e in ev if e['event'] == 'interval']
s = [e for e in ev if e['event'] == 'summary'][0]
# At 1 s, at 2 s, and the last, partial, one to the end (~2.9 s).
assert len(iv) == 3, iv
assert [round(e['seconds']) for e in iv[:2]] == [1, 2], iv
assert iv[2]['seconds'] == s['seconds'], (iv, s)
assert sum(e['sent'] for e in iv) == s['sent'] == 30, (iv, s)
assert sum(e['received'] for e in iv) == s['received'] == 30, (iv, s)
print('ok')
PY
	assert_output ok
	run bounded netdemo udp-client -c 15 -i 0.1 -p "$SRV_PORT" -m x
	assert_success
	assert_line --regexp '^\[1\.[0-9]+ s\] 10 sent, 10 received, 0 failed, 0\.0% loss, 0 late, round trip min/avg/max/mdev [0-9.]+/[0-9.]+/[0-9.]+/[0-9.]+ ms$'
	assert_line --regexp '^\[1\.[0-9]+ s\] 5 sent, 5 received, 0 failed, 0\.0% loss, 0 late, '
}

@test "a series with -i at --report shows no interval lines, and --report 0 no events" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -c 2 -i 0.5 --report 0.5 -p "$SRV_PORT" -m x
	assert_success
	refute_line --regexp '^\['
	assert_equal "${#lines[@]}" 6
	run bounded netdemo udp-client --json -c 3 -i 0.2 --report 0 -p "$SRV_PORT" -m x
	assert_success
	refute_line --partial '"event": "interval"'
	assert_line --partial '"event": "summary"'
}

@test "a series: exit 3 when nothing answered, 1 on refusals, with the book's words" {
	start_server SRV netdemo udp-server -p 0 --drop 1
	run --separate-stderr bounded netdemo udp-client -c 3 -i 0.1 -W 0.3 -p "$SRV_PORT" -m x
	assert_failure 3
	assert_line --regexp '^3 sent, 0 received, 0 failed, 100\.0% loss, 0 late, in [0-9.]+ seconds$'
	assert_equal "$stderr" "netdemo udp-client: I think the server is down
netdemo udp-client: hint: no reply from ('127.0.0.1', $SRV_PORT) to any of 3 requests; is a server running there, and does a firewall let UDP through?"
	run --separate-stderr bounded netdemo udp-client -c 1 -W 0.3 -p "$SRV_PORT" -m x
	assert_failure 3
	assert_equal "$(tail -1 <<<"$stderr")" "netdemo udp-client: hint: no reply from ('127.0.0.1', $SRV_PORT) to the request; is a server running there, and does a firewall let UDP through?"
	port=$(free_port udp)
	run --separate-stderr bounded netdemo udp-client -c 3 -i 0.1 -p "$port" -m x
	assert_failure 1
	for k in 1 2 3; do
		assert_line "seq $k: ICMP port unreachable from ('127.0.0.1', 0)"
	done
	assert_line --regexp '^3 sent, 0 received, 3 failed, 100\.0% loss, 0 late, in [0-9.]+ seconds$'
	assert_equal "$stderr" "netdemo udp-client: recv from ('127.0.0.1', $port): ConnectionRefusedError: [Errno 111] Connection refused
netdemo udp-client: hint: is a server running on that port?"
}

@test "a series that some request answered exits 0, though others were lost" {
	# Seed 11 drops the first two datagrams and keeps the next two.
	start_server SRV netdemo udp-server -p 0 --drop 0.5 --seed 11
	run bounded netdemo udp-client -c 4 -i 0.1 -W 0.3 -p "$SRV_PORT" -m x
	assert_success
	assert_line 'No reply to seq 1 within 0.3 seconds'
	assert_line 'No reply to seq 2 within 0.3 seconds'
	assert_line --regexp '^4 sent, 2 received, 0 failed, 50\.0% loss, 0 late, '
}

@test "a series against an echo server matches each echo to its request, in any order" {
	start_server SRV python3 "$BATS_TEST_DIRNAME/test_helper/member.py" --bind 127.0.0.1 --echo --swap
	run bounded netdemo udp-client -c 4 -i 0.1 -W 1 -p "$SRV_PORT" -m echo
	assert_success
	# Each pair comes back second first; each echo names its request.
	assert_line --index 1 --regexp "^Reply from \('127\.0\.0\.1', $SRV_PORT\): seq 2, [0-9.]+ ms, 'echo\.'$"
	assert_line --index 2 --regexp "^Reply from \('127\.0\.0\.1', $SRV_PORT\): seq 1, [0-9.]+ ms, 'echo'$"
	assert_line --index 3 --regexp "^Reply from .*: seq 4, [0-9.]+ ms, 'echo\.\.\.'$"
	assert_line --index 4 --regexp "^Reply from .*: seq 3, [0-9.]+ ms, 'echo\.\.'$"
	assert_line --regexp '^4 sent, 4 received, 0 failed, 0\.0% loss, 0 late, '
}

@test "SIGINT ends a series with its summary, exit 130" {
	start_server SRV netdemo udp-server -p 0
	timeout --foreground -k "$ND_STOP_TIMEOUT" 20 "$NETDEMO" udp-client -c 100 -i 0.1 -p "$SRV_PORT" -m x \
	    >"$BATS_TEST_TMPDIR/c.out" 2>&1 3>&- &
	cpid=$!
	wait_for_line "$BATS_TEST_TMPDIR/c.out" '^Reply from .*: seq 3,'
	kill -INT "$cpid"
	status=0
	wait "$cpid" || status=$?
	assert_equal "$status" 130
	run cat "$BATS_TEST_TMPDIR/c.out"
	assert_line --regexp '^[0-9]+ sent, [0-9]+ received, 0 failed, 0\.0% loss, 0 late, in [0-9.]+ seconds$'
}

@test "a series takes no late reply for a newer request's" {
	start_server SLOW python3 "$BATS_TEST_DIRNAME/test_helper/slow_udp.py" 127.0.0.1 0 0.9 30
	# Four requests wait together (-i 0.2, -W 0.5); request 1's reply
	# comes at 0.9 s, after request 5 left at 0.8 s.
	run --separate-stderr bounded netdemo udp-client -c 6 -i 0.2 -W 0.5 -p "$SLOW_PORT" --report 0
	assert_failure 3
	refute_line --regexp '^Reply from'
	assert_line --regexp '^6 sent, 0 received, 0 failed, 100\.0% loss, [1-9] late, in [0-9.]+ seconds$'
	assert_regex "$stderr" "^netdemo udp-client: the server answered, but too late: [0-9]+ repl(y|ies) came after (its|their) wait
netdemo udp-client: hint: raise -W/--wait above the round trip$"
}

@test "a --report far below a millisecond neither spins nor starves the series" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -c 3 -i 0.1 -W 0.5 --report 1e-10 --json -p "$SRV_PORT"
	assert_success
	assert_line --regexp '"event": ?"summary".*"sent": ?3, ?"received": ?3'
}

@test "a short series may wait longer than 255 intervals" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -c 2 -i 0.2 -W 60 --report 0 -p "$SRV_PORT"
	assert_success
	assert_line --regexp '^2 sent, 2 received, 0 failed, 0\.0% loss, 0 late, in [0-9.]+ seconds$'
}
