# udpclient.bash: helpers of tests/udp-client.bats, loaded after common,
# native and netns:
#   send_when_told DIR HOST MSG   a python3 sender, started now (python3
#                         may take seconds to start on a loaded machine),
#                         that sends MSG to HOST on the port written to
#                         DIR/port, from a new socket, and writes that
#                         socket's port to DIR/from; sets SENDER_PID
#   tell_port DIR PORT    the go-ahead for send_when_told
#   responders NS GROUP IFACE ADDR...   an answering python3 member in each
#                         of the namespaces given as NS=ADDR words (see
#                         member.py), joined to GROUP on IFACE ("-" for
#                         none); each waits for its "Listening" line
#   nft_count NS CHAIN    the packets an nftables counter in table inet
#                         ndc, chain CHAIN of NS saw

ND_HELPER_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)

send_when_told() {
	local dir=$1 host=$2 msg=$3
	mkdir -p "$dir"
	timeout -k 2 60 python3 - "$dir" "$host" "$msg" 3>&- <<'PY' &
import os, socket, sys, time
d, host, msg = sys.argv[1:]
end = time.monotonic() + 55
while not os.path.exists(d + '/port') and time.monotonic() < end:
    time.sleep(0.01)
port = int(open(d + '/port').read())
family = socket.getaddrinfo(host, port, type=socket.SOCK_DGRAM)[0][0]
s = socket.socket(family, socket.SOCK_DGRAM)
s.bind((host, 0))
s.sendto(msg.encode(), (host, port))
open(d + '/from.tmp', 'w').write('%d\n' % s.getsockname()[1])
os.rename(d + '/from.tmp', d + '/from')
PY
	SENDER_PID=$!
}

tell_port() {
	printf '%s\n' "$2" >"$1/port.tmp" && mv "$1/port.tmp" "$1/port"
}

nft_count() {
	ip netns exec "$1" nft list chain inet ndc "$2" |
	    sed -n 's/.*counter packets \([0-9]*\) .*/\1/p' | head -1
}

# segment N: a LAN behind a bridge, for groups and broadcasts: the
# client's namespace SEG_C (c0: 10.79.0.2/24, fd79::2/64) and members
# SEG_M[1..N] (m0: 10.79.0.1i, fd79::1i), each on a port of the bridge
# br0 in SEG_S (no multicast snooping: every port hears every group).
# Multicast leaves C by c0.  Loads on netns.bash (load it first): its
# teardown deletes them.
segment() {
	local n=$1 tag i
	tag=nd${BASHPID}x$RANDOM
	_netns_sweep
	SEG_S=$tag-S SEG_C=$tag-C SEG_M=()
	_netns_add "$SEG_S" || return 1
	ip -n "$SEG_S" link add br0 type bridge mcast_snooping 0 &&
	    ip -n "$SEG_S" link set br0 up || return 1
	_seg_port "$SEG_C" c0 2 0 || return 1
	for ((i = 1; i <= n; i++)); do
		SEG_M[i]=$tag-M$i
		_seg_port "${SEG_M[i]}" m0 $((10 + i)) "$i" || return 1
	done
	ip -n "$SEG_C" route add 224.0.0.0/4 dev c0
}

# _seg_port NS DEV HOST K: namespace NS on the bridge's port p<K>.
_seg_port() {
	local ns=$1 dev=$2 host=$3 k=$4
	_netns_add "$ns" && _netns_v6quiet "$ns" || return 1
	ip -n "$ns" link add "$dev" type veth peer name "p$k" netns "$SEG_S" ||
	    return 1
	ip -n "$SEG_S" link set "p$k" master br0 &&
	    ip -n "$SEG_S" link set "p$k" up &&
	    ip -n "$ns" addr add "10.79.0.$host/24" brd + dev "$dev" &&
	    ip -n "$ns" addr add "fd79::$host/64" dev "$dev" nodad &&
	    ip -n "$ns" link set "$dev" up
}

# member PREFIX NS ARGS...: member.py in NS (start_server's variables).
member() {
	local prefix=$1 ns=$2
	shift 2
	start_server "$prefix" ip netns exec "$ns" python3 \
	    "$ND_HELPER_DIR/member.py" --deadline 60 "$@"
}

# mrouted NS ARGS...: mrouted.py in NS, in the background until teardown;
# returns once its route is in (it prints "Routing"), 1 when it failed.
mrouted() {
	local ns=$1 out=$BATS_TEST_TMPDIR/mrouted.out
	shift
	setsid timeout -k 2 "$ND_SERVER_LIFETIME" ip netns exec "$ns" python3 \
	    "$ND_HELPER_DIR/mrouted.py" --deadline 60 "$@" </dev/null \
	    >"$out" 2>&1 3>&- &
	ND_SERVER_PIDS+=("$!")
	wait_for_line "$out" '^Routing ' "$ND_START_TIMEOUT"
}

# wait_for_count FILE REGEX N [TIMEOUT]: until N lines of FILE match.
wait_for_count() {
	local file=$1 re=$2 n=$3 limit=${4:-$ND_START_TIMEOUT} now deadline
	_nd_ms limit "$limit" || return 2
	_nd_now_ms now
	deadline=$((now + limit))
	while (($(grep -cE -- "$re" "$file" 2>/dev/null) < n)); do
		_nd_now_ms now
		if ((now >= deadline)); then
			echo "wait_for_count: fewer than $n lines /$re/ in $file" >&2
			_nd_dump "$file"
			return 1
		fi
		sleep 0.02
	done
}
