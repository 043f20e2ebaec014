# native.bash: helpers for the native applets' tests (udp-server.bats,
# udp-client.bats, tcp-server.bats, tcp-client.bats, json.bats), loaded after
# common:
#   load test_helper/common
#   load test_helper/native
#
#   usage_error MSG CMD...     CMD exits 2 with "usage:" then exactly MSG
#   start_json_server PREFIX CMD...  start_server for a server run with
#                              --json: waits for its listening event; the
#                              same PREFIX_* variables, stop_server works
#   udp_send PORT [HOST] MSG...  datagrams from one new socket, in order
#   hold_tcp PREFIX PORT [HOST]  an idle TCP connection in the background
#                              (start_bg PREFIX): sets PREFIX_PID and
#                              PREFIX_PORT, its own port; teardown ends it
#   ns_need                    skip unless root with `ip netns` (and veth)
#   ns_add NAME                a network namespace with lo up, deleted by
#                              ns_cleanup (call it from teardown)
#   ns_veth A ADDR_A B ADDR_B  a veth pair between namespaces A and B, with
#                              IPv4 or IPv6 addresses (CIDR), up
#   with_hosts FILE CMD...     run CMD with FILE as /etc/hosts and lookups
#                              in files only (a private mount namespace):
#                              names of both families, and no DNS query
#   json_check FILE            every line of FILE is a JSON object with the
#                              fields README.md documents for its event

# usage_error MSG CMD...: exit 2, a usage line, then the error line exactly.
# The lines are cut out of stderr with bash's own expansions: the usage
# tests call this some fifty times, and sed, cut and wc were three forks
# and execs each time.
usage_error() {
	local msg=$1 first second= newlines
	shift
	run --separate-stderr bounded "$@"
	assert_failure 2
	assert_output ''
	first=${stderr%%$'\n'*}
	assert_equal "${first:0:6}" 'usage:'
	if [[ $stderr == *$'\n'* ]]; then
		second=${stderr#*$'\n'}
		second=${second%%$'\n'*}
	fi
	assert_equal "$second" "$msg"
	# As wc -l counts them in "$stderr" and the newline <<< adds.
	newlines=${stderr//[!$'\n']/}
	assert_equal "$((${#newlines} + 1))" 2
}

start_json_server() {
	local prefix=$1 out=${1}_OUT
	start_bg "$@" || return
	wait_for_line "${!out}" '^\{"event": "listening", "address": \{"host": "([^"]*)", "port": ([0-9]+)\}\}$' || return 1
	export "${prefix}_HOST=${BASH_REMATCH[1]}" "${prefix}_PORT=${BASH_REMATCH[2]}"
}

# udp_send PORT HOST MSG...: one socket, the messages in order.
udp_send() {
	timeout -k 2 "$ND_TIMEOUT" python3 - "$@" <<'PY'
import socket, sys
port, host = int(sys.argv[1]), sys.argv[2]
family = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][0]
s = socket.socket(family, socket.SOCK_DGRAM)
for m in sys.argv[3:]:
    s.sendto(m.encode(), (host, port))
PY
}

# hold_tcp PREFIX PORT [HOST]: an idle client, connected before this returns.
hold_tcp() {
	local prefix=${1:?usage: hold_tcp PREFIX PORT [HOST]} out=${1}_OUT
	start_bg "$prefix" python3 -c '
import socket, sys, time
s = socket.create_connection((sys.argv[2], int(sys.argv[1])))
print(s.getsockname()[1], flush=True)
time.sleep(60)' "${2:?usage: hold_tcp PREFIX PORT [HOST]}" \
	    "${3:-127.0.0.1}" || return
	wait_for_line "${!out}" '^[0-9]+$' || return
	export "${prefix}_PORT=$ND_LINE"
}

ND_NETNS=()

ns_need() {
	[[ $EUID == 0 ]] || skip "needs root to make network namespaces"
	command -v ip >/dev/null || skip "needs ip(8)"
	ip netns add "nd-probe-$$" 2>/dev/null || skip "ip netns does not work here"
	ip netns del "nd-probe-$$"
}

ns_add() {
	ip netns add "$1" || return 1
	ND_NETNS+=("$1")
	ip -n "$1" link set lo up
}

ns_veth() {
	local a=$1 aaddr=$2 b=$3 baddr=$4
	local dad=
	[[ $aaddr == *:* ]] && dad=nodad
	ip -n "$a" link add v0 type veth peer name v1 netns "$b" || return 1
	ip -n "$a" addr add "$aaddr" dev v0 $dad
	ip -n "$b" addr add "$baddr" dev v1 $dad
	ip -n "$a" link set v0 up
	ip -n "$b" link set v1 up
}

ns_cleanup() {
	local ns
	for ns in "${ND_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	ND_NETNS=()
}

with_hosts() {
	local hosts=$1 nss=$BATS_TEST_TMPDIR/nsswitch.conf
	shift
	printf 'hosts: files\n' >"$nss"
	unshare -m sh -c 'mount --bind "$0" /etc/hosts &&
	    mount --bind "$1" /etc/nsswitch.conf && shift && exec "$@"' \
	    "$hosts" "$nss" "$@"
}

# The documented fields of each event, by applet where they differ.  An
# event not listed here is a failure: README.md must list it first.
json_check() {
	python3 - "$1" <<'PY'
import base64, json, sys

ADDR = 'addr'
MEASURE = 'measure'     # a number, or null when nothing was measured
# --flood's summary and its interval events: the same fields.
FLOOD = {'start': float, 'end': float, 'replies_per_s': int, 'replies': int,
         'seconds': float, 'lost': int, 'sent': int, 'loss': MEASURE,
         'late': int, 'copies': int, 'in_flight': int, 'drained': int,
         'refused': int,
         'errors': int, 'odd': int, 'p50_us': MEASURE, 'p99_us': MEASURE,
         'server': str, 'rate_limit': MEASURE, 'refused_from': MEASURE,
         'refused_until': MEASURE}
ADDRS = 'addrs'
# udp-client's series: the figures of an interval and of the summary.
FIGURES = {'seconds': float, 'sent': int, 'received': int, 'failed': int,
           'loss': float, 'late': int, 'min_ms': MEASURE, 'avg_ms': MEASURE,
           'max_ms': MEASURE, 'mdev_ms': MEASURE}
SCHEMA = {
    'listening': {'address': ADDR},
    'datagram': {'from': ADDR, 'data': str, 'base64': bool, 'bytes': int},
    'reply': None,          # udp-server, udp-client and tcp-client differ
    'drop': {'from': ADDR, 'bytes': int},
    'limited': {'to': ADDR},
    'sockname': {'address': ADDR, 'to': ADDR},
    'retry': {'delay': float, 'attempt': int, 'to': ADDR},
    'sent': None,           # udp-client --broadcast, tcp-client
    'accept': {'peer': ADDR, 'address': ADDR},
    'message': {'data': str, 'base64': bool, 'peer': ADDR},
    'close': {'peer': ADDR, 'bytes': int, 'reason': str},
    'overflow': {'peer': ADDR, 'max_clients': int},
    'start': None,          # tcp-client and mtu-probe differ
    'connect': {'address': ADDR, 'peer': ADDR},
    'first': {'data': str, 'base64': bool},
    'received': {'bytes': int},
    'stall': {'seconds': float, 'sent': int, 'total': int, 'received': int,
              'send_queue': int, 'recv_queue': int, 'diagnosis': str},
    'error': {'message': str},
    'summary': None,        # servers at exit, clients that measure
    'flood': {'to': ADDR, 'seconds': float, 'window': int, 'bytes': int},
    'repeat': {'to': ADDR, 'count': int, 'parallel': int},
    'connection': {'seq': int, 'peer': ADDR, 'address': ADDR, 'us': float},
    'lost': {'seq': int, 'wait': float},
    'absent': {'from': ADDR, 'seq': int, 'wait': float},
    'late': {'from': ADDR, 'data': str, 'base64': bool, 'bytes': int},
    'failed': {'seq': int, 'error': str},
    'interval': None,       # udp-client --flood and series, tcp-client --repeat, --full-duplex
    'probe': {'ip_bytes': int, 'bytes': int},
    'toobig': {'mtu': int, 'origin': str, 'from': ADDR, 'ip_bytes': int},
    'refused': {'from': ADDR, 'ip_bytes': int},
    'miss': {'ip_bytes': int, 'seconds': float},
    'pmtu': {'mtu': int, 'bound': str},
    'payload': {'bytes': int},
    'evidence': {'too_big': str, 'fits': str},
    'done': {'probes': int, 'seconds': float},
    'unsent': {'to': ADDR, 'bytes': int, 'errno': int},
    'mtu': {'mtu': int},
}
VARIANTS = {
    'start': [{'bytes': int}, {'to': ADDR, 'min': int, 'max': int}],
    'reply': [{'to': ADDR, 'text': str},
              {'data': str, 'base64': bool, 'from': ADDR, 'bytes': int},
              {'data': str, 'base64': bool},
              {'from': ADDR, 'seq': int, 'rtt_ms': float, 'data': str,
               'base64': bool, 'bytes': int},
              {'from': ADDR, 'data': str, 'base64': bool, 'bytes': int,
               'ip_bytes': int}],
    'sent': [{'to': ADDR, 'address': ADDR, 'text': str}, {'bytes': int},
             {'to': ADDR, 'bytes': int}],
    'summary': [{'datagrams': int, 'replies': int, 'dropped': int,
                 'limited': int, 'failed': int, 'status': int},
                {'accepted': int, 'served': int, 'overflowed': int,
                 'idle': int, 'bytes': int, 'status': int},
                FLOOD,
                {'connections_per_s': int, 'done': int, 'seconds': float,
                 'failed': int, 'p50_us': MEASURE, 'p99_us': MEASURE},
                {'received': int, 'seconds': float, 'mb_per_s': float,
                 'sent': int},
                dict(FIGURES, lost=int, responders=ADDRS)],
    'interval': [FLOOD,
                 {'start': float, 'end': float, 'connections_per_s': int,
                  'done': int, 'seconds': float, 'failed': int,
                  'p50_us': MEASURE, 'p99_us': MEASURE},
                 {'start': float, 'end': float, 'received': int,
                  'seconds': float, 'mb_per_s': float, 'sent': int},
                 dict(FIGURES, lost=int)],
}
OPTIONAL = {'error': {'exception': str, 'errno': int, 'strerror': str,
                      'icmp': str, 'from': ADDR, 'hint': str, 'exit': int},
            'evidence': {'too_big_from': ADDR, 'fits_from': ADDR}}
REASONS = {'done', 'eof', 'idle', 'error'}
DIAGNOSES = {'deadlock', 'peer not reading', 'peer silent'}
SERVERS = {'book', 'echo', 'none'}
WORDS = {'origin': {'local', 'router'}, 'bound': {'none', 'max', 'min'},
         'too_big': {'icmp', 'local', 'silence', 'max'},
         'fits': {'reply', 'port unreachable', 'none'}}


def typed(v, t):
    if t == ADDR:
        return (isinstance(v, dict) and set(v) == {'host', 'port'} and
                isinstance(v['host'], str) and isinstance(v['port'], int))
    if t == ADDRS:
        return isinstance(v, list) and all(typed(a, ADDR) for a in v)
    if t == MEASURE:
        return v is None or typed(v, float)
    if t is float:
        return isinstance(v, (int, float)) and not isinstance(v, bool)
    if t is int:
        return isinstance(v, int) and not isinstance(v, bool)
    return isinstance(v, t)


def fits(o, shape, optional):
    keys = set(o) - {'event'}
    if not set(shape) <= keys or not keys <= set(shape) | set(optional):
        return False
    return all(typed(o[k], t) for k, t in list(shape.items()) +
               [(k, t) for k, t in optional.items() if k in o])


bad = 0
with open(sys.argv[1], 'rb') as f:
    lines = f.read().split(b'\n')
if lines[-1] != b'':
    print('last line has no newline: %r' % lines[-1][:80])
    bad += 1
for n, raw in enumerate(lines[:-1], 1):
    try:
        o = json.loads(raw.decode('utf-8'))
    except ValueError as e:
        print('line %d is not JSON (%s): %r' % (n, e, raw[:120]))
        bad += 1
        continue
    ev = o.get('event') if isinstance(o, dict) else None
    if not isinstance(o, dict) or list(o)[:1] != ['event'] or \
            ev not in SCHEMA:
        print('line %d: no documented event first: %r' % (n, raw[:120]))
        bad += 1
        continue
    shapes = VARIANTS.get(ev) or [SCHEMA[ev]]
    if not any(fits(o, s, OPTIONAL.get(ev, {})) for s in shapes):
        print('line %d: %s lacks or misspells a documented field: %s' %
              (n, ev, raw.decode()))
        bad += 1
        continue
    if 'base64' in o and o['base64']:
        base64.b64decode(o['data'], validate=True)
    if ev == 'close' and o['reason'] not in REASONS:
        print('line %d: unknown close reason %r' % (n, o['reason']))
        bad += 1
    if 'server' in o and o['server'] not in SERVERS:
        print('line %d: unknown server kind %r' % (n, o['server']))
        bad += 1
    if ev == 'stall' and o['diagnosis'] not in DIAGNOSES:
        print('line %d: unknown diagnosis %r' % (n, o['diagnosis']))
        bad += 1
    for k, words in WORDS.items():
        if ev in ('toobig', 'pmtu', 'evidence') and k in o and \
                o[k] not in words:
            print('line %d: unknown %s %r' % (n, k, o[k]))
            bad += 1
sys.exit(1 if bad else 0)
PY
}
