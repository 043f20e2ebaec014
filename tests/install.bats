#!/usr/bin/env bats
# install.bats: netdemo as a package.  make install and make uninstall into
# a DESTDIR, netdemo --install, the man page (roff lint, rendering, and its
# contents against the C sources), --help of every applet and book program
# against its option table, the static musl build's messages against the
# dynamic build's, and the size budget of the static build.  Expected names and
# options come from the sources (test_helper/srcscan.py).

load test_helper/common
load test_helper/srcscan

_nd_physdir ROOT "$BATS_TEST_DIRNAME/.."
PAGE=$ROOT/build/netdemo.1
NO_BC="bash-completion is not installed (apt-get install bash-completion)"

# Each make is bounded: a broken Makefile must fail the suite, not hang it.
mk() {
	timeout -k 5 300 make --no-print-directory -C "$ROOT" "$@"
}

setup_file() {
	mk -s all release man >/dev/null
	srcscan_cache "$PAGE"
}

# names: every applet and book program, from the sources.
names() {
	srcscan applets
	srcscan aliases
}

# has_word TEXT WORD: WORD stands alone in TEXT (an option in help text).
has_word() {
	local before='(^|[][[:space:],{}])' after='([][[:space:],={}]|$)'
	[[ $1 =~ $before"$2"$after ]]
}

@test "make install puts binary, links, page and completion under DESTDIR" {
	local dest=$BATS_TEST_TMPDIR/dest want n
	run mk -s install DESTDIR="$dest" PREFIX=/usr/local
	assert_success
	want=$({
		echo bin/netdemo
		echo share/man/man1/netdemo.1
		echo share/bash-completion/completions/netdemo
		for n in $(names); do
			echo "bin/$n"
			echo "share/man/man1/$n.1"
			echo "share/bash-completion/completions/$n"
		done
	} | sort)
	run bash -c "cd '$dest/usr/local' && find . ! -type d | sed 's|^\./||' \
	    | sort"
	assert_output "$want"
	# Links are relative, so the tree works wherever DESTDIR puts it.
	for n in $(names); do
		assert_equal "$(readlink "$dest/usr/local/bin/$n")" netdemo
		assert_equal \
		    "$(readlink "$dest/usr/local/share/man/man1/$n.1")" \
		    netdemo.1
		assert_equal "$(readlink \
		    "$dest/usr/local/share/bash-completion/completions/$n")" \
		    netdemo
	done
	[[ -x $dest/usr/local/bin/netdemo && ! -L $dest/usr/local/bin/netdemo ]]
	# Installed stripped.
	run file "$dest/usr/local/bin/netdemo"
	if [[ $status == 0 ]]; then
		refute_output --partial "not stripped"
	fi
}

@test "an installed book program serves and talks from DESTDIR" {
	local dest=$BATS_TEST_TMPDIR/dest bin
	mk -s install DESTDIR="$dest" PREFIX=/usr/local >/dev/null
	bin=$dest/usr/local/bin
	run bounded "$bin/tcp_sixteen" --help
	assert_success
	assert_line --index 0 \
	    "usage: tcp_sixteen {client,server} host [-p PORT]"
	start_server SRV "$bin/tcp_sixteen" server 127.0.0.1 -p 0
	run bounded "$bin/tcp_sixteen" client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line --index 0 --regexp \
	    "^Client has been assigned socket name \('127\.0\.0\.1', [0-9]+\)$"
	assert_line --index 1 "The server said b'Farewell, client'"
	wait_for_line "$SRV_OUT" '^  Reply sent, socket closed$'
}

@test "bash-completion finds the installed completion by the name typed" {
	local dest=$BATS_TEST_TMPDIR/dest
	local bc=/usr/share/bash-completion/bash_completion
	[[ -r $bc ]] || skip "$NO_BC"
	mk -s install DESTDIR="$dest" PREFIX=/usr/local >/dev/null
	# bash-completion looks in $XDG_DATA_DIRS/bash-completion/completions.
	run bash --norc --noprofile -c '
		PATH=$1/usr/local/bin:$PATH
		XDG_DATA_DIRS=$1/usr/local/share
		. "$2"
		_completion_loader udp_local
		complete -p netdemo
		complete -p udp_local
		COMP_WORDS=(udp_local "") COMP_CWORD=1
		COMP_LINE="udp_local " COMP_POINT=10
		_netdemo
		echo "${COMPREPLY[*]}"' _ "$dest" "$bc"
	assert_success
	assert_line --index 0 "complete -F _netdemo netdemo"
	assert_line --index 1 "complete -F _netdemo udp_local"
	assert_line --index 2 "client server"
}

@test "make uninstall removes exactly what make install made" {
	local dest=$BATS_TEST_TMPDIR/dest bin
	bin=$dest/usr/local/bin
	mkdir -p "$bin"
	# Someone else's files, and a name the user pointed elsewhere.
	: >"$bin/other-tool"
	mk -s install DESTDIR="$dest" PREFIX=/usr/local >/dev/null
	ln -sfn /bin/true "$bin/udp_remote"
	run mk -s uninstall DESTDIR="$dest" PREFIX=/usr/local
	assert_success
	run bash -c "cd '$dest' && find . ! -type d | sort"
	assert_output "./usr/local/bin/other-tool
./usr/local/bin/udp_remote"
	assert_equal "$(readlink "$bin/udp_remote")" /bin/true
}

@test "make install then make uninstall leaves no file behind" {
	local dest=$BATS_TEST_TMPDIR/dest
	mk -s install DESTDIR="$dest" PREFIX=/opt/nd >/dev/null
	[[ -x $dest/opt/nd/bin/udp_local ]]
	run mk -s uninstall DESTDIR="$dest" PREFIX=/opt/nd
	assert_success
	run find "$dest" ! -type d
	assert_output ""
}

@test "netdemo --install DIR makes a link per name and nothing else" {
	local dir=$BATS_TEST_TMPDIR/links n
	mkdir "$dir"
	run bounded "$NETDEMO" --install "$dir"
	assert_success
	run bash -c "cd '$dir' && ls -A | sort"
	assert_output "$(names | sort)"
	for n in $(names); do
		[[ -L $dir/$n ]]
	done
	run bounded "$dir/udp_local" --help
	assert_success
	assert_line --index 0 "usage: udp_local {client,server} [-p PORT]"
}

@test "netdemo --install into a directory the user cannot write says so" {
	[[ $EUID == 0 ]] || skip "needs root to become another user"
	local dir
	# Under /tmp, which every user may cross, so that only the
	# directory's own mode is in the way.
	dir=$(mktemp -d /tmp/nd-ro.XXXXXX)
	chmod 555 "$dir"
	run --separate-stderr timeout -k 2 5 setpriv --reuid=65534 \
	    --regid=65534 --clear-groups "$NETDEMO" --install "$dir"
	rmdir "$dir"
	assert_failure 1
	assert_regex "$stderr" "^netdemo: install $dir/[a-z_-]+: PermissionError: \\[Errno 13\\] Permission denied
netdemo: hint: the directory $dir is not writable by this user; choose one that is, or run as its owner\$"
}

@test "the man page passes mandoc -T lint without a message" {
	command -v mandoc >/dev/null ||
	    skip "mandoc is not installed (apt-get install mandoc)"
	run mandoc -T lint "$PAGE"
	assert_success
	assert_output ""
}

@test "the man page passes groff -ww -z without a warning" {
	command -v groff >/dev/null ||
	    skip "groff is not installed (apt-get install groff)"
	run groff -ww -z -man "$PAGE"
	assert_success
	assert_output ""
}

@test "man -l renders every section of the page" {
	command -v man >/dev/null ||
	    skip "man is not installed (apt-get install man-db)"
	local section
	run env MANWIDTH=80 MAN_KEEP_FORMATTING= man -l "$PAGE"
	assert_success
	for section in NAME SYNOPSIS DESCRIPTION OPTIONS APPLETS \
	    "BOOK PROGRAMS" "EXIT STATUS" JSON EXAMPLES; do
		assert_line "$section"
	done
}

@test "the page documents every applet with every option of its table" {
	local applet word text
	for applet in $(srcscan applets); do
		text=$(srcscan man-text "$PAGE" APPLETS "$applet")
		[[ -n $text ]] || fail "no APPLETS subsection for $applet"
		for word in $(srcscan options "$applet"); do
			# The common options have their own subsection.
			if ! has_word "$text" "$word"; then
				has_word "$(srcscan man-text "$PAGE" \
				    OPTIONS "Options every applet takes")" \
				    "$word" ||
				    fail "$applet: $word is not in the page"
			fi
		done
	done
	text=$(srcscan man-text "$PAGE" OPTIONS)
	for word in $(srcscan toplevel); do
		has_word "$text" "$word" ||
		    fail "netdemo $word is not in the page"
	done
}

@test "the page documents every book program with its grammar and applets" {
	local alias role applet text grammar
	for alias in $(srcscan aliases); do
		text=$(srcscan man-text "$PAGE" "BOOK PROGRAMS" \
		    "$alias")
		[[ -n $text ]] || fail "no BOOK PROGRAMS subsection for $alias"
		grammar=$(srcscan grammar "$alias")
		[[ -n $grammar ]] || fail "no grammar for $alias in the sources"
		grep -qxF "$alias $grammar" <<<"$text" ||
		    fail "$alias: '$alias $grammar' is not in the page"
		grep -qxF "netdemo $alias $grammar" <<<"$text" ||
		    fail "$alias: 'netdemo $alias $grammar' is not in the page"
		while read -r role applet; do
			[[ $text == *"netdemo $applet"* ]] ||
			    fail "$alias $role: no 'netdemo $applet' in page"
		done < <(srcscan roles "$alias")
	done
}

@test "the page lists every exit status of SPEC section 5 and 127" {
	local text code
	text=$(srcscan man-text "$PAGE" "EXIT STATUS")
	for code in 0 1 2 3 127 130; do
		grep -qx "$code" <<<"$text" ||
		    fail "exit status $code is missing"
	done
}

@test "the page's JSON events are exactly those the applets emit" {
	run diff <(srcscan events) \
	    <(srcscan man-events "$PAGE")
	assert_success
	assert_output ""
	# And the list is not empty: the scan found the OUT() calls.
	run srcscan events
	assert_line "udp-server datagram bytes data from"
}

@test "every command in the page's examples parses: it takes --help" {
	local cmd words n=0
	nd_setup_links
	while read -r cmd; do
		read -ra words <<<"$cmd"
		# netdemo's own options take no --help after them.
		[[ ${words[1]-} == --* && ${words[0]} == netdemo ]] && continue
		run bounded "${words[@]}" --help
		assert_success
		n=$((n + 1))
	done < <(srcscan man-text "$PAGE" EXAMPLES | sed -n 's/^\$ //p')
	((n >= 10)) || fail "only $n example commands found"
}

@test "--help of every applet lists every option of its table" {
	local applet word
	for applet in $(srcscan applets); do
		run bounded "$NETDEMO" "$applet" --help
		assert_success
		assert_line --index 0 --partial "usage: netdemo $applet "
		for word in $(srcscan options "$applet"); do
			has_word "$output" "$word" ||
			    fail "netdemo $applet --help lacks $word"
		done
	done
}

@test "--help of every book program and role lists the options it takes" {
	local alias role applet word nroles
	nd_setup_links
	for alias in $(srcscan aliases); do
		nroles=$(srcscan roles "$alias" | wc -l)
		while read -r role applet; do
			if ((nroles == 1)); then
				run bounded "$alias" --help
			else
				run bounded "$alias" "$role" --help
			fi
			assert_success
			assert_line --index 0 --partial "usage: $alias "
			assert_output --partial "netdemo $applet"
			for word in $(srcscan options "$applet"); do
				has_word "$output" "$word" ||
				    fail "$alias $role --help lacks $word"
			done
		done < <(srcscan roles "$alias")
		if ((nroles == 2)); then
			run bounded "$alias" --help
			assert_success
			assert_line --regexp '^  server +runs netdemo '
			assert_line --regexp '^  client +runs netdemo '
		fi
	done
}

@test "netdemo --help lists every applet, book program and option" {
	local name word
	run bounded "$NETDEMO" --help
	assert_success
	for name in $(srcscan applets); do
		# An applet's line holds its name and the summary's first words.
		assert_line --regexp "^  $name +[a-z]+ "
	done
	for name in $(srcscan aliases); do
		assert_line --regexp "^  $name +"
	done
	for word in $(srcscan toplevel); do
		has_word "$output" "$word" || fail "netdemo --help lacks $word"
	done
	# No line is wider than a terminal.
	run awk 'length > 79' <<<"$output"
	assert_output ""
}

# static_pair NAME ARGS...: run the applet or book program NAME with ARGS
# through a link to each build; fail unless both give the same status and
# standard error.
static_pair() {
	local name=$1 dyn sta
	shift
	dyn=$(cd "$BATS_FILE_TMPDIR/dyn" && timeout -k 2 "$ND_TIMEOUT" \
	    "./$name" "$@" 2>&1 >/dev/null; echo "exit $?")
	sta=$(cd "$BATS_FILE_TMPDIR/sta" && timeout -k 2 "$ND_TIMEOUT" \
	    "./$name" "$@" 2>&1 >/dev/null; echo "exit $?")
	assert_equal "$sta" "$dyn"
	# Each case is an error: a message, and a status that says so.
	[[ $dyn != "exit "* && $dyn != *"exit 0" ]] ||
	    fail "$name $*: no error to compare: $dyn"
}

@test "the static build prints the errors and statuses of the dynamic one" {
	command -v musl-gcc >/dev/null ||
	    skip "musl-gcc is not installed (apt-get install musl-tools)"
	mk -s static >/dev/null
	mkdir -p "$BATS_FILE_TMPDIR/dyn" "$BATS_FILE_TMPDIR/sta"
	"$NETDEMO" --install "$BATS_FILE_TMPDIR/dyn"
	"$ROOT/netdemo-static" --install "$BATS_FILE_TMPDIR/sta"
	ln -sf "$NETDEMO" "$BATS_FILE_TMPDIR/dyn/netdemo"
	ln -sf "$ROOT/netdemo-static" "$BATS_FILE_TMPDIR/sta/netdemo"
	local free silent eof busy
	free=$(free_port)
	# Usage errors (SPEC section 5), exit 2, and an unknown applet, 127.
	static_pair netdemo udp-server -p 70000
	static_pair netdemo udp-server -p abc
	static_pair netdemo udp-server --drop 1.5
	static_pair netdemo udp-server --bogus
	static_pair netdemo tcp-client
	static_pair udp_local
	static_pair udp_local sideways
	static_pair netdemo nosuch
	# Refused, by TCP and by ICMP on a connected UDP socket.
	static_pair tcp_sixteen client 127.0.0.1 -p "$free"
	static_pair netdemo tcp-client 127.0.0.1 -p "$free"
	static_pair udp_remote client 127.0.0.1 -p "$free"
	# An address not on this machine, and a port already taken.
	static_pair netdemo udp-server 192.0.2.1 -p "$free"
	start_server BUSY "$NETDEMO" tcp-server -p 0
	static_pair netdemo tcp-server -p "$BUSY_PORT"
	# A server that never answers: the client gives up, exit 3.
	start_server SILENT peer udp-server --silent -p 0
	static_pair netdemo udp-client 127.0.0.1 -p "$SILENT_PORT" \
	    --backoff 0.05,0.1
	# A peer that closes after 5 of the 16 octets.
	start_server EOF peer tcp-sixteen-server --close-after 5 -p 0
	static_pair tcp_sixteen client 127.0.0.1 -p "$EOF_PORT"
	# A failed name lookup where no resolver can be reached: inside a
	# network namespace of our own, so no query leaves this machine.
	if unshare -rn true 2>/dev/null; then
		local sta_out sta_status
		run bash -c "cd '$BATS_FILE_TMPDIR/sta' &&
		    exec unshare -rn ./netdemo tcp-client nosuch.invalid -p 9"
		sta_out=$output sta_status=$status
		run bash -c "cd '$BATS_FILE_TMPDIR/dyn' &&
		    exec unshare -rn ./netdemo tcp-client nosuch.invalid -p 9"
		assert_equal "$sta_status $sta_out" "$status $output"
		assert_output --partial "socket.gaierror: [Errno "
	fi
}

@test "make size reports the dynamic build, which has no budget" {
	command -v musl-gcc >/dev/null ||
	    skip "musl-gcc is not installed (apt-get install musl-tools)"
	local n
	strip -o "$BATS_TEST_TMPDIR/netdemo" "$ROOT/build/rel/netdemo"
	n=$(wc -c <"$BATS_TEST_TMPDIR/netdemo")
	run mk -s size
	assert_success
	assert_line "dynamic: $n bytes stripped"
}

@test "the stripped static musl build is within the Makefile's budget" {
	command -v musl-gcc >/dev/null ||
	    skip "musl-gcc is not installed (apt-get install musl-tools)"
	local n max
	max=$(sed -n 's/^SIZE_STATIC_MAX *:= *\([0-9][0-9]*\)$/\1/p' \
	    "$ROOT/Makefile")
	[[ -n $max ]] || fail "no SIZE_STATIC_MAX in the Makefile"
	mk -s static >/dev/null
	strip -o "$BATS_TEST_TMPDIR/netdemo" "$ROOT/netdemo-static"
	n=$(wc -c <"$BATS_TEST_TMPDIR/netdemo")
	echo "# static build, stripped: $n bytes (budget $max)" >&3
	((n <= max)) || fail "static build is $n bytes, budget $max"
}

@test "make static without musl-gcc says what to install" {
	run mk -s static MUSLCC=/nonexistent/musl-gcc
	assert_failure
	assert_output --partial \
	    "/nonexistent/musl-gcc not found: install musl-tools"
}
