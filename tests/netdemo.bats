#!/usr/bin/env bats
# netdemo.bats: the multi-call program itself: dispatch by link name, first
# argument and two joined words; --list, --help, --version, --install; 127.

load test_helper/common

setup_file() {
	nd_setup_links
}

NAMES="udp-server
udp-client
tcp-server
tcp-client
mtu-probe
udp_local
udp_remote
udp_broadcast
big_sender
tcp_sixteen
tcp_deadlock"

@test "netdemo --list prints every applet and book program, one a line" {
	run bounded netdemo --list
	assert_success
	assert_output "$NAMES"
}

@test "netdemo --version prints the name and a version" {
	run bounded netdemo --version
	assert_success
	assert_output --regexp '^netdemo [0-9]+\.[0-9]+\.[0-9]+$'
}

@test "netdemo --help lists each applet with its summary and each alias" {
	run bounded netdemo --help
	assert_success
	assert_line --index 0 --regexp '^usage: netdemo '
	assert_line --regexp '^  udp-server +answer UDP datagrams'
	assert_line --regexp '^  tcp_deadlock +\{client,server\} host \[bytecount\] \[-p PORT\]$'
	for name in $NAMES; do
		assert_line --regexp "^  $name "
	done
}

@test "netdemo --help APPLET shows that applet's help" {
	run bounded netdemo --help tcp-client
	assert_success
	assert_line --index 0 'usage: netdemo tcp-client [options] HOST [BYTES]'
	assert_line --regexp '^  --full-duplex '
}

@test "an unknown applet is one line and exit 127" {
	run -127 --separate-stderr bounded netdemo frobnicate
	assert_failure 127
	assert_equal "$stderr" "netdemo: unknown applet 'frobnicate' (see 'netdemo --list')"
	assert_output ''
}

@test "netdemo with no arguments is a usage error" {
	run --separate-stderr bounded netdemo
	assert_failure 2
	assert_equal "$stderr" "netdemo: error: the following arguments are required: APPLET"
}

@test "a link named after a book program runs it" {
	run bounded udp_local --help
	assert_success
	assert_line --index 0 'usage: udp_local {client,server} [-p PORT]'
}

@test "a link named after a book program with .py runs it too" {
	ln -s "$NETDEMO" "$BATS_TEST_TMPDIR/tcp_sixteen.py"
	run --separate-stderr bounded "$BATS_TEST_TMPDIR/tcp_sixteen.py" dance
	assert_failure 2
	assert_equal "$stderr" "usage: tcp_sixteen {client,server} host [-p PORT]
tcp_sixteen: error: argument role: invalid choice: 'dance' (choose from 'client', 'server')"
}

@test "a link named after an applet runs it" {
	run bounded tcp-client --help
	assert_success
	assert_line --index 0 'usage: tcp-client [options] HOST [BYTES]'
}

@test "the first argument chooses the applet" {
	start_server SRV netdemo udp-server -p 0
	run bounded netdemo udp-client -p "$SRV_PORT" -m hello
	assert_success
	assert_line "The server says 'Your data was 5 bytes long'"
}

@test "the first two arguments joined by a dash choose the applet" {
	start_server SRV netdemo udp server -p 0
	run bounded netdemo udp client -p "$SRV_PORT" -m hello
	assert_success
	assert_line "The server says 'Your data was 5 bytes long'"
	run --separate-stderr bounded netdemo mtu probe --help
	assert_success
	assert_line --index 0 'usage: netdemo mtu-probe [options] HOST'
}

@test "a book program as the first argument takes the book's grammar" {
	start_server SRV netdemo tcp_sixteen server 127.0.0.1 -p 0
	run bounded netdemo tcp_sixteen client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line "The server said b'Farewell, client'"
}

@test "a book program also takes its applet's native options" {
	start_server SRV udp_remote server 127.0.0.1 -p 0 --seed 7 --count 3
	run bounded udp_remote client 127.0.0.1 -p "$SRV_PORT"
	assert_success
	assert_line "The server says 'Your data was 23 bytes long'"
	stop_server SRV
	assert_equal "$SRV_STATUS" 0
	run grep -c '^Pretending to drop packet from' "$SRV_OUT"
	assert_output 2
}

@test "options may come before the role and operands" {
	start_server SRV tcp_sixteen -p 0 server 127.0.0.1
	run bounded tcp_sixteen --port="$SRV_PORT" client 127.0.0.1
	assert_success
	assert_line "The server said b'Farewell, client'"
}

@test "a short option's value in a cluster before the role is no role" {
	start_server SRV tcp_sixteen -4p 0 server 127.0.0.1
	run bounded tcp_sixteen -4p "$SRV_PORT" client 127.0.0.1
	assert_success
	assert_line "The server said b'Farewell, client'"
}

@test "the role's help lists every option of the applet it runs" {
	run bounded tcp_deadlock client --help
	assert_success
	assert_line --index 0 'usage: tcp_deadlock {client,server} host [bytecount] [-p PORT]'
	for opt in --mode --bytes --full-duplex --stall --port --json --quiet --help; do
		assert_line --regexp "^  (-[a-z0-9], )?$opt"
	done
}

@test "netdemo --install DIR makes a link for every name" {
	dir=$BATS_TEST_TMPDIR/inst
	mkdir "$dir"
	run bounded netdemo --install "$dir"
	assert_success
	run ls "$dir"
	assert_output "$(sort <<<"$NAMES")"
	[[ $(readlink "$dir/udp_local") == "$(readlink -f "$NETDEMO")" ]]
	run bounded "$dir/udp_local" --help
	assert_success
}

@test "netdemo --install replaces its own links but no other file" {
	dir=$BATS_TEST_TMPDIR/inst
	mkdir "$dir"
	bounded netdemo --install "$dir"
	run bounded netdemo --install "$dir"
	assert_success
	rm "$dir/udp_local"
	echo precious >"$dir/udp_local"
	run --separate-stderr bounded netdemo --install "$dir"
	assert_failure 1
	assert_equal "$stderr" "netdemo: install $dir/udp_local: FileExistsError: [Errno 17] File exists"
	assert_equal "$(cat "$dir/udp_local")" precious
}

@test "netdemo --install into a missing directory fails with the errno" {
	run --separate-stderr bounded netdemo --install "$BATS_TEST_TMPDIR/nope"
	assert_failure 1
	assert_equal "$stderr" "netdemo: install into '$BATS_TEST_TMPDIR/nope': FileNotFoundError: [Errno 2] No such file or directory"
}
