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
