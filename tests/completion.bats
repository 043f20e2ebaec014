#!/usr/bin/env bats
# completion.bats: completions/netdemo.bash at every level (applet names, the
# two-word forms, the book programs' roles, options, option values, hosts,
# directories), with and without the bash-completion package.  Most tests
# call _netdemo the way bash does (COMP_WORDS, COMP_CWORD, COMP_LINE,
# COMP_POINT); a few press TAB in a real bash on a terminal.  Expected words
# come from the C sources (test_helper/srcscan.py), not from the program.

load test_helper/common
load test_helper/srcscan

COMPLETION=$BATS_TEST_DIRNAME/../completions/netdemo.bash
PTY=$BATS_TEST_DIRNAME/test_helper/pty_complete.py
BASH_COMPLETION=/usr/share/bash-completion/bash_completion
NO_BC="bash-completion is not installed (apt-get install bash-completion)"

setup_file() {
	nd_setup_links
	srcscan_cache
}

setup() {
	# shellcheck source=../completions/netdemo.bash
	source "$COMPLETION"
	# Host names come from this file alone, not from the machine's.
	printf '192.0.2.1 ndhost-alpha\n192.0.2.2 ndhost-beta\n' \
	    >"$BATS_TEST_TMPDIR/hosts"
	export HOSTFILE=$BATS_TEST_TMPDIR/hosts
}

# comp LINE: complete LINE with the cursor at its end, splitting it into
# COMP_WORDS as bash does (blanks separate words; a run of '=' or ':' is a
# word of its own), then set output to COMPREPLY sorted, space-separated.
# It runs without the DEBUG trap bats sets before every command of a test
# (as bash runs a completion function; with it, most of the file's CPU).
comp() {
	_nd_untraced _comp "$@"
}
_comp() {
	local line=$1 rest=$1
	COMP_WORDS=()
	# A word at a time, not a character at a time.  The last word is the
	# one the cursor is in, empty after a blank.
	while [[ $rest =~ ^[[:space:]]*([=:]+|[^[:space:]=:]+)(.*)$ ]]; do
		COMP_WORDS+=("${BASH_REMATCH[1]}")
		rest=${BASH_REMATCH[2]}
	done
	[[ -n $line && $line != *[[:space:]] ]] || COMP_WORDS+=("")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMP_LINE=$line
	COMP_POINT=${#line}
	COMPREPLY=()
	_netdemo
	output=$(printf '%s\n' "${COMPREPLY[@]}" | sort -u)
	output=${output//$'\n'/ }
}

# sorted WORD...: the words sorted, space-separated, to compare with comp.
sorted() {
	local words
	words=$(printf '%s\n' "$@" | sort -u)
	printf '%s' "${words//$'\n'/ }"
}

# scan ARGS...: srcscan.py's answer as sorted words.
scan() {
	# shellcheck disable=SC2046 # one word a line
	sorted $(srcscan "$@")
}

# longs APPLET: its long options (and the common ones), sorted.
longs() {
	local word words=()
	for word in $(srcscan options "$1"); do
		[[ $word == --* ]] && words+=("$word")
	done
	sorted "${words[@]}"
}

@test "_netdemo is registered for netdemo and every name in netdemo --list" {
	run complete -p netdemo
	assert_output "complete -F _netdemo netdemo"
	local name
	for name in $(srcscan applets) $(srcscan aliases); do
		run complete -p "$name"
		assert_output "complete -F _netdemo $name"
	done
}

@test "netdemo TAB offers the applets, book programs and two-word forms" {
	comp "netdemo "
	# shellcheck disable=SC2046
	assert_output "$(sorted $(srcscan applets) \
	    $(srcscan aliases) udp tcp mtu)"
}

@test "netdemo udp_r TAB completes the book program's name" {
	comp "netdemo udp_r"
	assert_output "udp_remote"
}

@test "netdemo udp TAB offers server and client" {
	comp "netdemo udp "
	assert_output "client server"
}

@test "netdemo tcp c TAB completes to client and netdemo mtu TAB to probe" {
	comp "netdemo tcp c"
	assert_output "client"
	comp "netdemo mtu "
	assert_output "probe"
}

@test "a book program offers its roles, by link name and after netdemo" {
	comp "udp_local "
	assert_output "client server"
	comp "netdemo tcp_deadlock s"
	assert_output "server"
	comp "$ND_BIN/udp_remote.py "
	assert_output "client server"
}

@test "big_sender has no roles: it offers hosts at once" {
	comp "big_sender ndhost-"
	assert_output "ndhost-alpha ndhost-beta"
}

@test "every applet offers every option of its table and the common ones" {
	local applet
	for applet in $(srcscan applets); do
		comp "netdemo $applet -"
		assert_equal "$output" "$(scan options "$applet")"
		# The two-word form reaches the same table.
		comp "netdemo ${applet/-/ } -"
		assert_equal "$output" "$(scan options "$applet")"
	done
}

@test "each role of a book program offers the options of the applet it runs" {
	local alias role applet nroles
	for alias in $(srcscan aliases); do
		nroles=$(srcscan roles "$alias" | wc -l)
		while read -r role applet; do
			if ((nroles == 1)); then
				# No roles (big_sender): options at once.
				comp "$alias --"
			else
				comp "$alias $role --"
			fi
			assert_equal "$output" "$(longs "$applet")"
		done < <(srcscan roles "$alias")
	done
}

@test "--mode TAB offers the choices of its table, in every spelling" {
	local want
	want=$(scan choices tcp-client mode)
	assert_equal "$want" "connect sixteen upper"
	comp "netdemo tcp client --mode "
	assert_output "$want"
	comp "tcp_sixteen server --mode "
	assert_output "$(scan choices tcp-server mode)"
	comp "netdemo tcp-server --mode u"
	assert_output "upper"
	# --mode=u: bash replaces only what follows '='.
	comp "netdemo tcp-client --mode=u"
	assert_output "upper"
	comp "netdemo tcp-client --mod="
	assert_output "$want"
}

@test "a value that is not a fixed set offers nothing" {
	comp "netdemo udp-client -m "
	assert_output ""
	comp "netdemo udp-client --backoff "
	assert_output ""
	comp "netdemo udp-server -qc "
	assert_output ""
}

@test "a host operand offers host names" {
	comp "netdemo tcp-client ndhost-a"
	assert_output "ndhost-alpha"
	comp "tcp_sixteen client ndhost-"
	assert_output "ndhost-alpha ndhost-beta"
	comp "netdemo udp-server -p 9 ndhost-b"
	assert_output "ndhost-beta"
	comp "netdemo mtu probe --once ndhost-"
	assert_output "ndhost-alpha ndhost-beta"
}

@test "a server's INTERFACE operand offers the interfaces as well as hosts" {
	comp "netdemo udp-server l"
	assert_output "lo"
	comp "netdemo tcp-server -p 9 ndhost-a"
	assert_output "ndhost-alpha"
	comp "netdemo tcp server "
	assert_output --partial "lo"
	assert_output --partial "ndhost-beta"
}

@test "an option's value is skipped when counting operands" {
	# -p takes 9; the next word is the host.
	comp "netdemo tcp-client -p 9 ndhost-"
	assert_output "ndhost-alpha ndhost-beta"
	comp "netdemo tcp-client --port=9 ndhost-"
	assert_output "ndhost-alpha ndhost-beta"
	# After the host comes BYTES, which is no host.
	comp "netdemo tcp-client -p 9 ndhost-alpha ndhost-"
	assert_output ""
}

@test "where no operand can go, TAB offers the options" {
	comp "udp_local server "
	assert_equal "$output" "$(scan options udp-server)"
}

@test "-- ends the options: what follows is an operand" {
	comp "netdemo tcp-client -- -"
	assert_output ""
	comp "netdemo tcp-client -- ndhost-a"
	assert_output "ndhost-alpha"
}

@test "netdemo - TAB offers netdemo's own options" {
	comp "netdemo -"
	assert_equal "$output" "$(scan toplevel)"
}

@test "netdemo --help TAB offers the applets and book programs" {
	comp "netdemo --help "
	# shellcheck disable=SC2046
	assert_output "$(sorted $(srcscan applets) \
	    $(srcscan aliases))"
}

@test "netdemo --install TAB offers directories only" {
	mkdir -p "$BATS_TEST_TMPDIR/inst/dir-one" \
	    "$BATS_TEST_TMPDIR/inst/dir-two"
	: >"$BATS_TEST_TMPDIR/inst/dir-file"
	cd "$BATS_TEST_TMPDIR/inst"
	comp "netdemo --install dir"
	assert_output "dir-one dir-two"
}

@test "an unknown first word offers nothing" {
	comp "netdemo nosuch "
	assert_output ""
	comp "netdemo udp nosuch "
	assert_output ""
}

@test "with the bash-completion package loaded, every level works the same" {
	[[ -r $BASH_COMPLETION ]] || skip "$NO_BC"
	# shellcheck source=/dev/null
	source "$BASH_COMPLETION"
	source "$COMPLETION"
	comp "netdemo "
	# shellcheck disable=SC2046
	assert_output "$(sorted $(srcscan applets) \
	    $(srcscan aliases) udp tcp mtu)"
	comp "netdemo udp "
	assert_output "client server"
	comp "udp_local "
	assert_output "client server"
	comp "udp_local client --"
	assert_equal "$output" "$(longs udp-client)"
	comp "netdemo tcp-client --mode=s"
	assert_output "sixteen"
	# _known_hosts_real reads HOSTFILE too.
	comp "tcp_sixteen client ndhost-"
	assert_output "ndhost-alpha ndhost-beta"
}

@test "in a real bash, TAB completes netdemo udp s to server" {
	command -v python3 >/dev/null ||
	    skip "python3 is needed to drive a terminal"
	run timeout -k 2 15 python3 "$PTY" "$COMPLETION" "netdemo udp s"
	assert_success
	assert_line "line: netdemo udp server "
}

@test "in a real bash, TAB completes --mode=u to --mode=upper" {
	command -v python3 >/dev/null ||
	    skip "python3 is needed to drive a terminal"
	run timeout -k 2 15 python3 "$PTY" "$COMPLETION" \
	    "netdemo tcp client --mode=u"
	assert_success
	assert_line "line: netdemo tcp client --mode=upper "
}

@test "in a real bash, TAB TAB lists the roles of udp_local" {
	command -v python3 >/dev/null ||
	    skip "python3 is needed to drive a terminal"
	run timeout -k 2 15 python3 "$PTY" "$COMPLETION" "udp_local "
	assert_success
	assert_line "list: client server"
}

@test "a real bash with bash-completion lists tcp-server's long options" {
	[[ -r $BASH_COMPLETION ]] || skip "$NO_BC"
	run timeout -k 2 15 python3 "$PTY" \
	    --bash-completion "$BASH_COMPLETION" "$COMPLETION" \
	    "netdemo tcp-server --"
	assert_success
	assert_line "list: $(longs tcp-server)"
}
