# netns.bash: three network namespaces, host A - router R - host B, built
# per test and always torn down.  Load after common:
#   load test_helper/common
#   load test_helper/netns
#
# What it gives a test:
#   netns_require [nft]   skip (saying why) unless root with ip netns works;
#                         with nft, also nftables usable inside a namespace
#   netns_topology MTU_AR MTU_RB
#                         build A - R - B with those link MTUs, IPv4 and
#                         IPv6, forwarding on R; exports NS_A NS_R NS_B and
#                         the addresses below; registers the teardown
#   netns_no_icmp_from_router
#                         R sends no "fragmentation needed" / "packet too
#                         big" any more (an nftables output rule in R): the
#                         black hole
#   netns_silence NS      NS drops every datagram that comes in: a host that
#                         never answers, not even with port unreachable
#   in_ns NS CMD...       run CMD inside NS under timeout(1) (ND_TIMEOUT)
#   netns_teardown        stop what runs in them, delete them (idempotent;
#                         called by this file's teardown)
#
# Addresses (the same in every topology; each lives in its own namespaces):
#   A  a0: 10.0.1.2  fd00:1::2      R  r0: 10.0.1.1  fd00:1::1 (towards A)
#   B  b0: 10.0.2.2  fd00:2::2      R  r1: 10.0.2.1  fd00:2::1 (towards B)
#
# Names are nd<PID>x<random>-{A,R,B}, PID being the test's shell, so parallel
# runs never collide, and a run that was killed before its teardown leaves
# names whose PID is dead: the next netns_topology deletes those.

ND_NS_LIST=()

# shellcheck disable=SC2034 # used by the tests that load this file
A4=10.0.1.2 R4=10.0.1.1 RB4=10.0.2.1 B4=10.0.2.2
# shellcheck disable=SC2034
A6=fd00:1::2 R6=fd00:1::1 RB6=fd00:2::1 B6=fd00:2::2

netns_require() {
	local probe ok=${BATS_FILE_TMPDIR:-/nonexistent}/netns-ok${1:+-$1}
	if ((EUID != 0)); then
		skip "needs root to build network namespaces (CI runs as root)"
	fi
	command -v ip >/dev/null || skip "needs ip (iproute2)"
	# The probe below passed for an earlier test of this file.
	[[ -e $ok ]] && return 0
	probe=nd${BASHPID}probe$RANDOM
	if ! ip netns add "$probe" 2>/dev/null; then
		skip "cannot create a network namespace here"
	fi
	if [[ ${1-} == nft ]]; then
		if ! command -v nft >/dev/null; then
			ip netns del "$probe"
			skip "needs nft (nftables) for the black-hole router"
		fi
		if ! ip netns exec "$probe" nft add table inet ndprobe \
		    2>/dev/null; then
			ip netns del "$probe"
			skip "nftables does not work inside a namespace here"
		fi
	fi
	ip netns del "$probe"
	[[ -z ${BATS_FILE_TMPDIR:-} ]] || : >"$ok"
}

# _netns_sweep: delete namespaces left by runs that died before teardown.
_netns_sweep() {
	local ns pid
	while read -r ns _; do
		[[ $ns =~ ^nd([0-9]+)x[0-9]+-[ARB]$ ]] || continue
		pid=${BASH_REMATCH[1]}
		kill -0 "$pid" 2>/dev/null && continue
		_netns_kill_inside "$ns"
		ip netns del "$ns" 2>/dev/null || true
	done < <(ip netns list 2>/dev/null)
}

# _netns_kill_inside NS: the processes still in NS were started by the tests
# inside it; end them by PID so the namespace really goes away.
_netns_kill_inside() {
	local pid
	for pid in $(ip netns pids "$1" 2>/dev/null); do
		_netns_kill_if_in "$pid" "$1"
	done
}

# _netns_kill_if_in PID NS...: KILL PID if it is still in one of the
# namespaces NS.  A PID listed a moment ago may have exited since, and its
# number gone to a process of another test, outside them.
_netns_kill_if_in() {
	local pid=$1 ns
	shift
	for ns; do
		if [[ /proc/$pid/ns/net -ef /run/netns/$ns ]]; then
			kill -KILL "$pid" 2>/dev/null || true
			return
		fi
	done
}

# _netns_add NS: a namespace of ours (deleted by netns_teardown), lo up.
_netns_add() {
	ip netns add "$1" || return 1
	ND_NS_LIST+=("$1")
	ip -n "$1" link set lo up
}

# _netns_v6quiet NS [SYSCTL=VALUE...]: no duplicate address detection
# (addresses usable at once) and no router solicitations (no stray traffic
# while we measure), and any other settings given, in one sysctl run.
_netns_v6quiet() {
	local ns=$1
	shift
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0 \
	    net.ipv6.conf.default.accept_dad=0 \
	    net.ipv6.conf.default.router_solicitations=0 "$@" >/dev/null
}

# netns_topology builds all of it with one ip(8) per namespace and step
# (ip -batch), not one per setting: a topology was some thirty ip runs,
# each a fork and an exec.
netns_topology() {
	local mtu_ar=${1:?usage: netns_topology MTU_AR MTU_RB}
	local mtu_rb=${2:?usage: netns_topology MTU_AR MTU_RB}
	local tag=nd${BASHPID}x$RANDOM
	_netns_sweep
	NS_A=$tag-A NS_R=$tag-R NS_B=$tag-B
	export NS_A NS_R NS_B
	ND_NS_LIST+=("$NS_A" "$NS_R" "$NS_B")
	printf 'netns add %s\n' "$NS_A" "$NS_R" "$NS_B" | ip -batch - ||
	    return 1
	# Before any link exists, so that each takes the defaults.
	_netns_v6quiet "$NS_A" && _netns_v6quiet "$NS_B" &&
	    _netns_v6quiet "$NS_R" net.ipv4.ip_forward=1 \
		net.ipv6.conf.all.forwarding=1 || return 1
	# Each veth pair is born inside its namespaces: no name in the host's
	# namespace, so parallel runs cannot clash.
	ip -n "$NS_A" -batch - <<-EOF || return 1
		link set lo up
		link add a0 mtu $mtu_ar type veth peer name r0 netns $NS_R mtu $mtu_ar
		addr add $A4/24 dev a0
		addr add $A6/64 dev a0 nodad
		link set a0 up
		route add default via $R4
		route add default via $R6
	EOF
	ip -n "$NS_B" -batch - <<-EOF || return 1
		link set lo up
		link add b0 mtu $mtu_rb type veth peer name r1 netns $NS_R mtu $mtu_rb
		addr add $B4/24 dev b0
		addr add $B6/64 dev b0 nodad
		link set b0 up
		route add default via $RB4
		route add default via $RB6
	EOF
	ip -n "$NS_R" -batch - <<-EOF || return 1
		link set lo up
		addr add $R4/24 dev r0
		addr add $R6/64 dev r0 nodad
		addr add $RB4/24 dev r1
		addr add $RB6/64 dev r1 nodad
		link set r0 up
		link set r1 up
	EOF
	_nd_untraced _netns_wait_ready
}

# _netns_wait_ready: until an interface has its link-local address, the
# kernel ignores neighbour solicitations on it, and the first IPv6 packet
# across waits a second for the retry.  Wait (at most 5 s) for all four:
# each has an fe80 address of scope link, and no address still tentative.
_netns_wait_ready() {
	local now deadline x ns dev ready
	_nd_now_ms now
	deadline=$((now + 5000))
	while :; do
		ready=1
		for x in "$NS_A a0" "$NS_R r0 r1" "$NS_B b0"; do
			read -r ns dev <<<"$x"
			# shellcheck disable=SC2086 # the devices are words
			_netns_links_ready "$ns" $dev || { ready=0; break; }
		done
		((ready)) && return 0
		_nd_now_ms now
		if ((now >= deadline)); then
			echo "netns_topology: $ns $dev has no usable" \
			    "link-local address after 5 s" >&2
			ip -n "$ns" addr show >&2
			return 1
		fi
		_nd_sleep 0.02
	done
}

# _netns_links_ready NS DEV...: every DEV of NS has an fe80 address of scope
# link and no tentative address, from one ip(8) for them all.
_netns_links_ready() {
	local ns=$1 dev line addrs
	shift
	addrs=$(ip -n "$ns" -6 -o addr show) || return 1
	for dev; do
		local ll=0
		while IFS= read -r line; do
			[[ $line =~ ^[0-9]+:\ +$dev\ +inet6\  ]] || continue
			[[ $line == *tentative* ]] && return 1
			[[ $line == *" inet6 fe80"*" scope link"* ]] && ll=1
		done <<<"$addrs"
		((ll)) || return 1
	done
}

netns_no_icmp_from_router() {
	ip netns exec "$NS_R" nft -f - <<'EOF'
table inet nd_blackhole {
	chain output {
		type filter hook output priority 0; policy accept;
		icmp type destination-unreachable icmp code frag-needed drop
		icmpv6 type packet-too-big drop
	}
}
EOF
}

netns_silence() {
	ip netns exec "${1:?usage: netns_silence NS}" nft -f - <<'EOF'
table inet nd_silent {
	chain input {
		type filter hook input priority 0; policy accept;
		meta l4proto udp drop
	}
}
EOF
}

in_ns() {
	local ns=${1:?usage: in_ns NS CMD...}
	shift
	timeout -k 2 "$ND_TIMEOUT" ip netns exec "$ns" "$@"
}

netns_teardown() {
	local ns pid
	((${#ND_NS_LIST[@]})) || return 0
	# The processes still in them were started by the tests inside them;
	# end them by PID so the namespaces really go away.
	for pid in $(printf 'netns pids %s\n' "${ND_NS_LIST[@]}" |
	    ip -force -batch - 2>/dev/null); do
		_netns_kill_if_in "$pid" "${ND_NS_LIST[@]}"
	done
	printf 'netns del %s\n' "${ND_NS_LIST[@]}" |
	    ip -force -batch - 2>/dev/null || true
	ND_NS_LIST=()
}

teardown() {
	stop_servers
	netns_teardown
}
