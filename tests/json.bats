#!/usr/bin/env bats
# --json on the four native applets: every line parses with python3's json
# module and carries the fields README.md documents for its event; data
# round-trips as text or base64; errors stay JSON; -q keeps only errors.

load test_helper/common
load test_helper/native

setup_file() {
	nd_setup_links
}

teardown() {
	stop_servers
}

# events FILE: the distinct event names in FILE, sorted, space-separated.
events() {
	python3 -c '
import json, sys
print(" ".join(sorted({json.loads(l)["event"] for l in open(sys.argv[1])})))' "$1"
}

@test "udp-server --json: listening, datagram, reply, drop, limited, summary" {
	start_json_server SRV netdemo udp-server -p 0 --json --drop 0.3 --seed 5 --rate-limit 2 -c 12
	udp_send "$SRV_PORT" 127.0.0.1 $(seq 1 12)
	_nd_reap 5 "$SRV_PID"
	run json_check "$SRV_OUT"
	assert_success
	run events "$SRV_OUT"
	assert_output 'datagram drop limited listening reply summary'
}

@test "udp-server --json carries any data exactly, as text or base64" {
	start_json_server SRV netdemo udp-server -p 0 --json -c 4
	timeout -k 2 5 python3 - "$SRV_PORT" <<'PY'
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for data in (b'a"b\\c\n\t\x01\x7f', b'caf\xc3\xa9', b'', bytes(range(256)) * 200):
    s.sendto(data, ('127.0.0.1', int(sys.argv[1])))
PY
	_nd_reap 5 "$SRV_PID"
	run json_check "$SRV_OUT"
	assert_success
	run python3 - "$SRV_OUT" <<'PY'
import base64, json, sys
sent = [b'a"b\\c\n\t\x01\x7f', b'caf\xc3\xa9', b'', bytes(range(256)) * 200]
got = []
for line in open(sys.argv[1]):
    o = json.loads(line)
    if o['event'] == 'datagram':
        data = base64.b64decode(o['data']) if o['base64'] else \
            o['data'].encode('ascii')
        assert len(data) == o['bytes']
        got.append((data, o['base64']))
assert [g[0] for g in got] == sent, got
assert [g[1] for g in got] == [False, True, False, True]
print('ok')
PY
	assert_output ok
}

@test "udp-client --json: sockname, retry, reply, sent, a series' and errors" {
	start_json_server SRV netdemo udp-server -p 0 --json
	out=$BATS_TEST_TMPDIR/c.json
	bounded netdemo udp-client --json -p "$SRV_PORT" -m hi >>"$out"
	bounded netdemo udp-client --json --promiscuous -p "$SRV_PORT" -m hi >>"$out"
	bounded netdemo udp-client --json --broadcast --send-only -p "$SRV_PORT" >>"$out"
	bounded netdemo udp-client --json -c 2 -i 0.1 -p "$SRV_PORT" -m hi >>"$out"
	port=$(free_port udp)
	run -1 bounded netdemo udp-client --json -p "$port" -m hi
	printf '%s\n' "$output" | grep '^{' >>"$out"
	start_server MUTE peer udp-server -p 0 --silent
	run -3 bounded netdemo udp-client --json --backoff 0.05,0.1 -p "$MUTE_PORT" -m hi
	printf '%s\n' "$output" | grep '^{' >>"$out"
	run json_check "$out"
	assert_success
	run -3 bounded netdemo udp-client --json -c 2 -i 0.1 -W 0.2 -p "$MUTE_PORT" -m hi
	printf '%s\n' "$output" | grep '^{' >>"$out"
	run -1 bounded netdemo udp-client --json -c 1 -p "$port" -m hi
	printf '%s\n' "$output" | grep '^{' >>"$out"
	run json_check "$out"
	assert_success
	run events "$out"
	assert_output 'error failed lost reply retry sent sockname summary'
	run grep -c '"event": "error".*"icmp": "port unreachable", "from": {"host": "127.0.0.1", "port": 0}, .*"exit": 1}$' "$out"
	assert_output 2
	run grep -c '"event": "error", "message": "I think the server is down", "hint": .*"exit": 3}$' "$out"
	assert_output 2
}

@test "tcp-server --json: accept, message, close for each reason, overflow, summary" {
	start_json_server SRV netdemo tcp-server -p 0 --json --idle 1 --max-clients 2
	run peer tcp-sixteen-client -p "$SRV_PORT"
	assert_success
	# A client that closes early (eof), two that idle (idle), one too many.
	printf 'Hi' | timeout -k 2 5 nc -q 0 127.0.0.1 "$SRV_PORT" >/dev/null
	# Closed before the others come, so that it is not one of the two.
	wait_for_line "$SRV_OUT" '"event": "close".*"reason": "eof"'
	# The two idle clients and the third from one process, connected
	# within milliseconds: with a python3 each, a slow machine took more
	# than the --idle second between the first and the third, the first
	# was gone for idle, and the third was served instead of refused.
	start_bg HOLD python3 -c '
import socket, sys, time
port = int(sys.argv[1])
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(2)]
s = socket.create_connection(("127.0.0.1", port))
s.settimeout(3)
assert s.recv(16) == b""
print("third closed at once", flush=True)
time.sleep(60)' "$SRV_PORT"
	wait_for_line "$HOLD_OUT" '^third closed at once$' "$ND_TIMEOUT"
	wait_for_line "$SRV_OUT" '"reason": "idle"' 4
	stop_server SRV
	run json_check "$SRV_OUT"
	assert_success
	run events "$SRV_OUT"
	assert_output 'accept close error listening message overflow summary'
	for reason in done eof idle; do
		grep -q "\"event\": \"close\".*\"reason\": \"$reason\"" "$SRV_OUT"
	done
}

@test "tcp-server --json --mode upper, and tcp-client --json in both modes" {
	start_json_server SRV netdemo tcp-server --mode upper -p 0 --json
	out=$BATS_TEST_TMPDIR/c.json
	bounded netdemo tcp-client 127.0.0.1 --json -n 100 -p "$SRV_PORT" >>"$out"
	bounded netdemo tcp-client 127.0.0.1 --json -n 300000 --full-duplex -p "$SRV_PORT" >>"$out"
	bounded netdemo tcp-client 127.0.0.1 --json --mode sixteen -p "$SRV_PORT" >>"$out"
	bounded netdemo tcp-client 127.0.0.1 --json --mode connect -p "$SRV_PORT" >>"$out"
	bounded netdemo tcp-client 127.0.0.1 --json --mode connect --repeat 6 -i 0.05 --report 0.1 -p "$SRV_PORT" >>"$out"
	run -3 bounded netdemo tcp-client 127.0.0.1 --json -n 1073741824 --stall 1 -p "$SRV_PORT"
	printf '%s\n' "$output" | grep '^{' >>"$out"
	stop_server SRV
	run json_check "$SRV_OUT"
	assert_success
	run json_check "$out"
	assert_success
	run events "$out"
	assert_output 'connect connection error first interval received repeat reply sent stall start summary'
	run grep -c '"event": "stall", .*"diagnosis": "deadlock"}$' "$out"
	assert_output 1
	run grep -c '"event": "error", "message": "gave up after 1 second without progress from (.127.0.0.1., [0-9]*) (see --stall)", "hint": "both buffers are full, .*--full-duplex.*"exit": 3}$' "$out"
	assert_output 1
}

@test "--json errors stay valid JSON whatever the name or address held" {
	[[ $EUID == 0 ]] || skip "needs root for a private /etc/hosts"
	: >"$BATS_TEST_TMPDIR/hosts"
	run -1 with_hosts "$BATS_TEST_TMPDIR/hosts" timeout -k 2 5 "$NETDEMO" udp-client --json $'no "such"\\host\x01\xff' -p 9
	printf '%s\n' "$output" | grep '^{' >"$BATS_TEST_TMPDIR/e.json"
	run json_check "$BATS_TEST_TMPDIR/e.json"
	assert_success
	run python3 -c '
import json, sys
o = json.loads(open(sys.argv[1]).readline())
print(o["exception"], o["errno"], o["exit"])' "$BATS_TEST_TMPDIR/e.json"
	assert_output 'socket.gaierror -2 1'
}

@test "-q with --json prints only the error events" {
	port=$(free_port udp)
	run -1 bounded netdemo udp-client -q --json -p "$port" -m x
	assert_output --regexp '^\{"event": "error", "message": "recv from'
	run --separate-stderr bounded netdemo udp-client -q --json -p "$port" -m x
	assert_equal "${#lines[@]}" 1
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -q --json -p "$SRV_PORT" -m x
	assert_success
	assert_output ''
	run bounded netdemo udp-client -q -p "$SRV_PORT" -m x
	assert_success
	assert_output ''
}

@test "the JSON check knows exactly the events README.md documents" {
	doc=$BATS_TEST_DIRNAME/../README.md
	run python3 - "$doc" "$BATS_TEST_FILENAME" <<'PY'
import re, sys
doc = open(sys.argv[1]).read()
documented = set(re.findall(r'^\| `([a-z]+)` \|', doc, re.M))
tests = open(sys.argv[2]).read()
schema = open(sys.argv[2].replace('json.bats',
                                  'test_helper/native.bash')).read()
checked = set(re.findall(r"^    '([a-z]+)': ", schema, re.M))
print(' '.join(sorted(documented ^ checked)) or 'same')
PY
	assert_output same
}
