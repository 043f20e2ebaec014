# common.bash: shared helpers loaded by every tests/*.bats file with
#   load test_helper/common
#
# What it gives a test (details above each function):
#   NETDEMO             absolute path of the binary under test (env overrides)
#   ND_PEER             path of peer.py, the independent Python peer
#   nd_setup_links      netdemo --install into a temp dir, put it first on PATH
#   bounded CMD...      run CMD under timeout(1)      (run bounded udp_local ...)
#   peer SUBCMD ARGS... run peer.py under timeout(1)  (run peer udp-client ...)
#   start_server PREFIX CMD...   background server, waits for its Listening
#                       line, exports PREFIX_PORT PREFIX_HOST PREFIX_PID
#                       PREFIX_OUT PREFIX_ERR
#   start_bg PREFIX CMD...       any background helper, started and ended as
#                       a server is, waiting for nothing
#   stop_server PREFIX [SIGNAL] [TIMEOUT]   one server, exports PREFIX_STATUS
#   stop_servers        every server this process started (default teardown)
#   wait_for_line FILE REGEX [TIMEOUT]      sets ND_LINE
#   free_port [tcp|udp|both] [HOST]         prints a port nobody listens on
#
# Every wait has a deadline and everything that talks to the network runs
# under timeout(1): a broken build must fail the suite, never hang CI.
# Helpers stay quiet on success and explain themselves on stderr on failure,
# which bats prints under the failing test.

# _nd_load_lib DIR: load the bats library in DIR as its load.bash would,
# without a fork.  This runs once per test, and each of load.bash's lines,
# source "$(dirname "${BASH_SOURCE[0]}")/src/FILE", costs a dirname(1) and
# a subshell: with bats-assert's dozen, more than the test itself on a
# machine slow to fork.  So the same files are sourced in the same order
# here, straight from DIR; a load.bash that does anything else is loaded as
# it stands.
_nd_load_lib() {
	local dir=$1 line files=()
	local re='^source "\$\(dirname "\$\{BASH_SOURCE\[0\]\}"\)/([^"$`]+)"$'
	while IFS= read -r line; do
		[[ $line =~ ^[[:space:]]*(#.*)?$ ]] && continue
		if [[ ! $line =~ $re ]]; then
			load "$dir/load"
			return
		fi
		files+=("$dir/${BASH_REMATCH[1]}")
	done <"$dir/load.bash"
	for line in "${files[@]}"; do
		# shellcheck source=/dev/null
		source "$line" || return 1
	done
}

# Debian installs the libraries here; elsewhere fall back to BATS_LIB_PATH.
if [[ -r /usr/lib/bats/bats-support/load.bash ]]; then
	_nd_load_lib /usr/lib/bats/bats-support
else
	bats_load_library bats-support
fi
if [[ -r /usr/lib/bats/bats-assert/load.bash ]]; then
	_nd_load_lib /usr/lib/bats/bats-assert
else
	bats_load_library bats-assert
fi

# run -N and run --separate-stderr need 1.5; saying so silences BW02.
if declare -F bats_require_minimum_version >/dev/null; then
	bats_require_minimum_version 1.5.0
fi

# Tunables, all in seconds; raise them under valgrind, say.
: "${ND_TIMEOUT:=10}"           # any one command run by bounded/peer
: "${ND_START_TIMEOUT:=5}"      # a server printing its Listening line
: "${ND_STOP_TIMEOUT:=5}"       # a server exiting after a signal (a bound
                                # for a hang: they take 20-150 ms loaded)
: "${ND_SERVER_LIFETIME:=120}"  # hard cap on a background server
export ND_TIMEOUT ND_START_TIMEOUT ND_STOP_TIMEOUT ND_SERVER_LIFETIME

# _nd_physdir OUTVAR DIR: DIR with every symlink resolved, as
# $(cd DIR && pwd -P) gives it, but without a fork (this file is loaded
# once per test).  Returns 1 if DIR cannot be entered.
_nd_physdir() {
	local here=$PWD oldpwd=${OLDPWD-} rc=0
	if CDPATH='' builtin cd -P -- "$2" 2>/dev/null; then
		printf -v "$1" '%s' "$PWD"
		builtin cd -- "$here" || rc=1
	else
		rc=1
	fi
	OLDPWD=$oldpwd
	return "$rc"
}

# make check points NETDEMO at a sanitizer build; default is the plain one.
: "${NETDEMO:=$BATS_TEST_DIRNAME/../netdemo}"
[[ $NETDEMO == /* ]] || NETDEMO=$PWD/$NETDEMO
if _nd_physdir _nd_dir "${NETDEMO%/*}"; then
	NETDEMO=$_nd_dir/${NETDEMO##*/}
fi
export NETDEMO

_nd_dir=${BASH_SOURCE[0]%/*}
[[ $_nd_dir == "${BASH_SOURCE[0]}" ]] && _nd_dir=.
_nd_physdir _nd_dir "$_nd_dir"
ND_PEER=$_nd_dir/peer.py
unset _nd_dir
export ND_PEER

# python3 as PATH finds it may not be Python but a shim: pyenv's is a bash
# script that runs pyenv, a dozen more processes and some 0.3 s of CPU
# before Python starts, and the tests start Python hundreds of times.
# Where python3 is not itself the interpreter, a two-line script that execs
# the interpreter the shim chose goes first on PATH.  The first process of
# a run decides, once; the rest only look.  Where python3 is the
# interpreter (Debian's), PATH stays as it is.
_nd_python_wrap() {
	local dir=$BATS_RUN_TMPDIR/nd-python shim real
	if [[ ! -e $dir/decided ]]; then
		mkdir -p "$dir" || return 0
		if shim=$(type -P python3) && real=$(timeout -k 2 "$ND_TIMEOUT" \
		    python3 -c 'import sys; print(sys.executable)') &&
		    [[ $real == /* && $real != *"'"* ]] &&
		    [[ $(realpath -- "$shim") != "$(realpath -- "$real")" ]]
		then
			printf '#!/bin/sh\nexec '"'%s'"' "$@"\n' "$real" \
			    >"$dir/python3.$$" && chmod +x "$dir/python3.$$" &&
			    mv -f "$dir/python3.$$" "$dir/python3"
		fi
		: >"$dir/decided"
	fi
	if [[ -x $dir/python3 && :$PATH: != *":$dir:"* ]]; then
		PATH=$dir:$PATH
		export PATH
	fi
}
[[ -z ${BATS_RUN_TMPDIR:-} ]] || _nd_python_wrap

# PIDs of the background servers started by this shell, for stop_servers,
# and when each began (_nd_born).  bash reaps a child as soon as it exits,
# and its PID may then go to any new process, another test's server among
# them: with pid_max at 32768 a suite of this size wraps the PIDs round
# every few minutes.  So a PID recorded here is signalled only while the
# process holding it began when ours did.  -g: load runs this in a function.
ND_SERVER_PIDS=()
declare -gA ND_SERVER_BORN=()

# _nd_ms OUTVAR SECONDS: decimal seconds ("5", "0.25") to integer ms.
_nd_ms() {
	local secs=$2 int frac=
	if [[ ! $secs =~ ^[0-9]+(\.[0-9]*)?$ ]]; then
		echo "netdemo tests: bad number of seconds '$secs'" >&2
		return 2
	fi
	int=${secs%%.*}
	[[ $secs == *.* ]] && frac=${secs#*.}
	frac=${frac}000
	printf -v "$1" '%d' $((10#$int * 1000 + 10#${frac:0:3}))
}

# _nd_now_ms OUTVAR: wall clock in ms, without a fork per poll.
_nd_now_ms() {
	# The radix character follows the locale.
	local us=${EPOCHREALTIME//[.,]/}
	printf -v "$1" '%d' $((us / 1000))
}

# _nd_born OUTVAR PID: when PID began, in clock ticks since boot (field 22
# of /proc/PID/stat); "" and status 1 if there is no such process.
_nd_born() {
	local stat fields
	printf -v "$1" '%s' ''
	read -r stat 2>/dev/null <"/proc/$2/stat" || return 1
	# The fields from the third on follow the command name, which is in
	# parentheses and may hold spaces.
	read -ra fields <<<"${stat##*) }"
	printf -v "$1" '%s' "${fields[19]}"
}

# _nd_alive PID: true while PID runs (a zombie has finished) and, for a PID
# this shell recorded, is still the process it started.
_nd_alive() {
	local stat born
	kill -0 "$1" 2>/dev/null || return 1
	[[ -r /proc/$1/stat ]] || return 0
	read -r stat <"/proc/$1/stat" || return 1
	# The state letter follows the command name, which may hold spaces.
	stat=${stat##*) }
	[[ $stat != Z* ]] || return 1
	[[ -n ${ND_SERVER_BORN[$1]-} ]] || return 0
	_nd_born born "$1" && [[ $born == "${ND_SERVER_BORN[$1]}" ]]
}

# _nd_doing PID: say on stderr what PID and its children are doing, their
# state and the kernel function they sleep in, so that a server killed for
# not exiting leaves a clue: stopped (T), asleep in ep_poll, held in a
# write (D).
_nd_doing() {
	local pid=$1 stat name state wchan='' kids='' kid
	read -r stat 2>/dev/null <"/proc/$pid/stat" || return 0
	name=${stat#* (}
	name=${name%) *}
	state=${stat##*) }
	state=${state%% *}
	read -r wchan 2>/dev/null <"/proc/$pid/wchan" || true
	[[ $wchan == 0 || -z $wchan ]] && wchan='(running)'
	echo "netdemo tests:   PID $pid ($name): state $state, in $wchan" >&2
	read -r kids 2>/dev/null <"/proc/$pid/task/$pid/children" || true
	for kid in $kids; do
		_nd_doing "$kid"
	done
}

# _nd_sleep SECONDS: sleep(1) without a fork.  The waits below poll every
# 0.02 s, and a sleep(1) each time costs a fork and an exec, several ms of
# CPU on a machine slow to fork: as much as a test's own work for every
# second it waits.  read -t on a FIFO that nobody writes times out instead
# (opened read-write, so the open does not wait for a writer; opened for
# the read alone, so no server inherits it).  Falls back to sleep(1).
_nd_sleep() {
	local fifo=${BATS_RUN_TMPDIR:-}/nd-sleep.fifo junk
	if [[ -n ${BATS_RUN_TMPDIR:-} ]] &&
	    { [[ -p $fifo ]] || mkfifo "$fifo" 2>/dev/null || [[ -p $fifo ]]; }
	then
		read -r -t "$1" junk <>"$fifo" || true
	else
		sleep "$1"
	fi
}

# _nd_untraced FUNCTION ARGS...: run a polling helper without bats' DEBUG
# trap, which bats runs before every command of a test and its helpers
# (set -T) to keep a stack trace for failures: some 0.2 to 1 ms of CPU a
# command, dozens of commands a poll, fifty polls a second of waiting.  A
# function called with -T off runs without the trap; a failure inside it
# is then reported at the test's line that called it.
_nd_untraced() {
	local rc
	if [[ $- != *T* ]]; then
		"$@"
		return
	fi
	set +T
	"$@"
	rc=$?
	set -T
	return "$rc"
}

# _nd_dump FILE...: show files on stderr so a failure explains itself.
_nd_dump() {
	local f
	for f; do
		echo "--- $f:" >&2
		cat -- "$f" >&2 2>/dev/null || echo "(missing)" >&2
	done
}

# bounded CMD...: run a program under timeout(1), ND_TIMEOUT seconds, then
# KILL 2 s later.  Exit 124 means it hung.  Use as: run bounded udp_local ...
# A test that starts a program in the background to signal it later runs
# it under timeout --foreground -k "$ND_STOP_TIMEOUT" (or with start_bg):
# without --foreground, timeout(1) sends the signal a second time to the
# whole group and a SIGCONT after it, which can hang a sanitized build's
# LeakSanitizer as the program exits, and it KILLs after only -k seconds.
bounded() {
	timeout -k 2 "$ND_TIMEOUT" "$@"
}

# peer SUBCOMMAND ARGS...: the Python peer, bounded twice (its own
# --deadline and timeout(1)).  Use as: run peer udp-client -p "$SRV_PORT"
peer() {
	timeout -k 2 "$ND_TIMEOUT" python3 "$ND_PEER" "$@"
}

# nd_setup_links: install every applet and alias name as a link to NETDEMO in
# a per-file temp dir and put it first on PATH, so tests call the book's
# names (udp_local server -p 0).  Call from setup_file; PATH is exported so
# every test of the file sees it.  Also links `netdemo` itself, so a test
# that says `netdemo` gets the binary under test, not one from the system.
nd_setup_links() {
	local dir=${BATS_FILE_TMPDIR:-$BATS_TEST_TMPDIR}/bin
	if [[ ! -x $NETDEMO ]]; then
		echo "nd_setup_links: $NETDEMO is missing: run make first" >&2
		return 1
	fi
	mkdir -p "$dir" || return 1
	if ! timeout -k 2 "$ND_TIMEOUT" "$NETDEMO" --install "$dir" >/dev/null
	then
		echo "nd_setup_links: $NETDEMO --install $dir failed" >&2
		return 1
	fi
	if [[ ! -e $dir/udp_local ]]; then
		echo "nd_setup_links: --install made no udp_local in $dir" >&2
		ls -l "$dir" >&2
		return 1
	fi
	[[ -e $dir/netdemo ]] || ln -s "$NETDEMO" "$dir/netdemo" || return 1
	ND_BIN=$dir
	PATH=$dir:$PATH
	export ND_BIN PATH
}

# wait_for_line FILE REGEX [TIMEOUT]: wait until FILE has a complete line
# (newline-terminated, so a half-written line never matches) matching the
# extended regex REGEX, polling every 0.02 s for at most TIMEOUT seconds
# (default ND_START_TIMEOUT).  On success sets ND_LINE to the first such
# line and BASH_REMATCH to its groups; on timeout shows FILE and returns 1.
wait_for_line() {
	_nd_untraced _nd_wait_for_line "$@"
}
_nd_wait_for_line() {
	local file=$1 re=$2 limit=${3:-$ND_START_TIMEOUT} line now deadline
	if (($# < 2)); then
		echo "usage: wait_for_line FILE REGEX [TIMEOUT]" >&2
		return 2
	fi
	_nd_ms limit "$limit" || return 2
	_nd_now_ms now
	deadline=$((now + limit))
	while :; do
		if [[ -r $file ]]; then
			while IFS= read -r line; do
				if [[ $line =~ $re ]]; then
					# shellcheck disable=SC2034 # for the test
					ND_LINE=$line
					return 0
				fi
			done <"$file"
		fi
		_nd_now_ms now
		if ((now >= deadline)); then
			echo "wait_for_line: no line matching /$re/ in $file" \
			    "after ${3:-$ND_START_TIMEOUT} s" >&2
			_nd_dump "$file"
			return 1
		fi
		_nd_sleep 0.02
	done
}

# start_server PREFIX CMD [ARGS...]: start a server in the background and
# wait (ND_START_TIMEOUT) for its Listening line, then export
#   PREFIX_PORT  the port from that line (start servers with -p 0)
#   PREFIX_HOST  the address from that line (127.0.0.1, ::1, 0.0.0.0 ...)
#   PREFIX_PID   PID to signal (a timeout(1) wrapper: it forwards signals
#                and exits with the server's status)
#   PREFIX_OUT   file with the server's stdout
#   PREFIX_ERR   file with the server's stderr
# CMD is a program on PATH or a path; `peer` means the Python peer.  The
# line may be "Listening at ('127.0.0.1', 1060)", the IPv6 four-tuple
# "Listening at ('::1', 1060, 0, 0)" or udp_broadcast's "Listening for
# datagrams at (...)".  stdin is /dev/null and fd 3 is closed, or bats would
# wait for the server before finishing the test.  Returns 1, showing the
# server's output, if it exits or stays silent.  The server is recorded for
# stop_servers either way.  Example:
#   start_server SRV udp_local server -p 0
#   run bounded udp_local client -p "$SRV_PORT"
start_server() {
	local prefix=$1
	if (($# < 2)) || [[ ! $prefix =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
		echo "usage: start_server PREFIX CMD [ARGS...]" >&2
		return 2
	fi
	start_bg "$@" || return
	local pid=${prefix}_PID out=${prefix}_OUT err=${prefix}_ERR
	shift
	[[ $1 == peer ]] && set -- python3 "$ND_PEER" "${@:2}"
	_nd_untraced _nd_await_listening "$prefix" "${!pid}" "${!out}" \
	    "${!err}" "$@"
}

# start_bg PREFIX CMD [ARGS...]: start CMD in the background as start_server
# starts a server, and wait for nothing: for a helper that a test signals or
# leaves to teardown (an idle client, a listener that never reads).  Exports
# PREFIX_PID, PREFIX_OUT and PREFIX_ERR; stop_server PREFIX ends it, and
# stop_servers does at teardown.
start_bg() {
	local prefix=$1 pid out err born kill_after
	if (($# < 2)) || [[ ! $prefix =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]]; then
		echo "usage: start_bg PREFIX CMD [ARGS...]" >&2
		return 2
	fi
	shift
	if [[ $1 == peer ]]; then
		shift
		set -- python3 "$ND_PEER" "$@"
	elif declare -F "$1" >/dev/null; then
		# A function would run in a subshell whose PID cannot stand
		# for the server when signalled.
		echo "start_bg: '$1' is a shell function; give a program" >&2
		return 2
	fi
	out=${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/$prefix.out
	err=${BATS_TEST_TMPDIR:-$BATS_FILE_TMPDIR}/$prefix.err
	# Created here, so the poll below never races the child's redirection.
	: >"$out" && : >"$err" || return 1
	# timeout(1) caps the server's life if teardown never comes and
	# undoes the SIGINT-ignored state bash gives background jobs, so a
	# test can check the exit status after Ctrl-C.  setsid gives the lot
	# its own process group (so stop_servers can KILL it) without a fork,
	# so $! is timeout's PID.  --foreground: timeout passes a signal to
	# the server alone, with no SIGCONT after it; that SIGCONT could
	# cancel the stop LeakSanitizer waits for while the server exits, and
	# hang it (make check).  A signal also starts timeout's own KILL
	# countdown, -k: that is a backstop for when nobody stops the server,
	# 10 s past the stop bound, so that stop_server's bound, and its
	# account of a server that ignored the signal, come first.
	_nd_ms kill_after "$ND_STOP_TIMEOUT" || return 2
	kill_after=$((kill_after / 1000 + 10))
	setsid timeout --foreground -k "$kill_after" \
	    "$ND_SERVER_LIFETIME" "$@" </dev/null >"$out" 2>"$err" 3>&- &
	pid=$!
	_nd_born born "$pid"
	# One that is gone already can never be signalled again.
	ND_SERVER_BORN[$pid]=${born:-gone}
	ND_SERVER_PIDS+=("$pid")
	export "${prefix}_PID=$pid" "${prefix}_OUT=$out" "${prefix}_ERR=$err"
}

# _nd_await_listening PREFIX PID OUT ERR CMD...: start_server's wait for
# the Listening line.
_nd_await_listening() {
	local prefix=$1 pid=$2 out=$3 err=$4 line now deadline limit
	local re="^Listening (at|for datagrams at) \\('([^']*)', ([0-9]+)[,)]"
	shift 4
	_nd_ms limit "$ND_START_TIMEOUT" || return 2
	_nd_now_ms now
	deadline=$((now + limit))
	while :; do
		while IFS= read -r line; do
			if [[ $line =~ $re ]]; then
				export "${prefix}_HOST=${BASH_REMATCH[2]}" \
				    "${prefix}_PORT=${BASH_REMATCH[3]}"
				return 0
			fi
		done <"$out"
		if ! _nd_alive "$pid"; then
			echo "start_server: '$*' exited before listening" >&2
			_nd_dump "$out" "$err"
			return 1
		fi
		_nd_now_ms now
		if ((now >= deadline)); then
			echo "start_server: '$*' printed no Listening line in" \
			    "$ND_START_TIMEOUT s" >&2
			_nd_dump "$out" "$err"
			return 1
		fi
		_nd_sleep 0.02
	done
}

# _nd_forget PID: drop PID from the list stop_servers works through.
_nd_forget() {
	local p keep=()
	for p in "${ND_SERVER_PIDS[@]}"; do
		[[ $p == "$1" ]] || keep+=("$p")
	done
	ND_SERVER_PIDS=("${keep[@]}")
	unset 'ND_SERVER_BORN[$1]'
}

# _nd_reap TIMEOUT PID...: wait up to TIMEOUT s for the PIDs to exit, then
# KILL the process group of any still running.  Returns 1 if any needed the
# KILL.  The caller then reaps them with wait, which is instant now and
# gives it the exit status (bash reports a status to one wait only).
_nd_reap() {
	_nd_untraced _nd_reap_untraced "$@"
}
_nd_reap_untraced() {
	local limit now deadline pid running rc=0
	_nd_ms limit "$1" || return 2
	shift
	_nd_now_ms now
	deadline=$((now + limit))
	while :; do
		running=()
		for pid; do
			_nd_alive "$pid" && running+=("$pid")
		done
		((${#running[@]})) || break
		_nd_now_ms now
		if ((now >= deadline)); then
			for pid in "${running[@]}"; do
				echo "netdemo tests: PID $pid ignored the signal;" \
				    "killing its process group" >&2
				_nd_doing "$pid"
				# timeout(1) leads its own group, so this
				# reaches the server as well.
				kill -KILL -- "-$pid" 2>/dev/null || true
				kill -KILL "$pid" 2>/dev/null || true
			done
			rc=1
			break
		fi
		_nd_sleep 0.02
	done
	return "$rc"
}

# stop_server PREFIX [SIGNAL] [TIMEOUT]: send SIGNAL (default TERM) to the
# server started as PREFIX, wait up to TIMEOUT s (default ND_STOP_TIMEOUT),
# KILL it past that, and export PREFIX_STATUS with its exit status (130
# after INT, 143 after TERM, if it shuts down cleanly).  Returns 1 if it had
# to be killed.  Example:
#   stop_server SRV INT
#   assert_equal "$SRV_STATUS" 130
stop_server() {
	local prefix=${1-} sig=${2:-TERM} limit=${3:-$ND_STOP_TIMEOUT}
	local pidvar=${1-}_PID pid status=0 rc=0
	if [[ ! $prefix =~ ^[A-Za-z_][A-Za-z0-9_]*$ ]] || [[ -z ${!pidvar-} ]]
	then
		echo "usage: stop_server PREFIX [SIGNAL] [TIMEOUT]" \
		    "(after start_server PREFIX ...)" >&2
		return 2
	fi
	pid=${!pidvar}
	if _nd_alive "$pid"; then
		kill -s "$sig" "$pid" 2>/dev/null || true
	else
		echo "stop_server: $prefix (PID $pid) had ended before the" \
		    "$sig came" >&2
	fi
	_nd_reap "$limit" "$pid" || rc=1
	wait "$pid" 2>/dev/null || status=$?
	export "${prefix}_STATUS=$status"
	_nd_forget "$pid"
	return "$rc"
}

# stop_servers: TERM every server this shell started, wait (bounded), KILL
# the stubborn ones and reap them all.  Never fails, so a teardown always
# completes; a KILL is reported on stderr.
stop_servers() {
	local pid
	((${#ND_SERVER_PIDS[@]})) || return 0
	for pid in "${ND_SERVER_PIDS[@]}"; do
		! _nd_alive "$pid" || kill -TERM "$pid" 2>/dev/null || true
	done
	_nd_reap "$ND_STOP_TIMEOUT" "${ND_SERVER_PIDS[@]}" || true
	for pid in "${ND_SERVER_PIDS[@]}"; do
		wait "$pid" 2>/dev/null || true
	done
	ND_SERVER_PIDS=()
	ND_SERVER_BORN=()
}

# Default teardowns.  A file that defines its own must call stop_servers.
teardown() {
	stop_servers
}
teardown_file() {
	stop_servers
}

# free_port [tcp|udp|both] [HOST]: print a port on HOST (default 127.0.0.1)
# that nobody listens on for the protocol (default both: free for TCP and
# UDP alike), found by binding port 0.  Another process could take it before
# the test uses it; on loopback in a test run that is unlikely.
free_port() {
	local proto=${1:-both} host=${2:-127.0.0.1}
	case $proto in
	tcp | udp | both) ;;
	*)
		echo "usage: free_port [tcp|udp|both] [HOST]" >&2
		return 2
		;;
	esac
	timeout -k 2 "$ND_TIMEOUT" python3 - "$proto" "$host" <<'EOF'
import socket, sys

proto, host = sys.argv[1], sys.argv[2]
family = socket.getaddrinfo(host, 0)[0][0]
kinds = {'tcp': [socket.SOCK_STREAM], 'udp': [socket.SOCK_DGRAM],
         'both': [socket.SOCK_STREAM, socket.SOCK_DGRAM]}[proto]
# The OS picks a port for the first kind; retry until the other kind can
# take the same number too.
for _ in range(100):
    socks = []
    try:
        for kind in kinds:
            s = socket.socket(family, kind)
            socks.append(s)
            s.bind((host, socks[0].getsockname()[1] if len(socks) > 1 else 0))
        print(socks[0].getsockname()[1])
        sys.exit(0)
    except OSError:
        pass
    finally:
        for s in socks:
            s.close()
sys.exit('free_port: no free port found')
EOF
}
