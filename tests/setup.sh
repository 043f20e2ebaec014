#!/bin/sh
# Install what the test suite needs when this machine lacks it (Debian's
# packages): bats-core with bats-support and bats-assert, GNU parallel (make
# test runs test files side by side with bats --jobs), and the independent
# peers the tests talk to (python3, socat, nc).
set -e
need=""
command -v bats >/dev/null 2>&1 || need="$need bats"
[ -f /usr/lib/bats/bats-support/load.bash ] || need="$need bats-support"
[ -f /usr/lib/bats/bats-assert/load.bash ] || need="$need bats-assert"
command -v parallel >/dev/null 2>&1 || need="$need parallel"
command -v python3 >/dev/null 2>&1 || need="$need python3"
command -v socat >/dev/null 2>&1 || need="$need socat"
command -v nc >/dev/null 2>&1 || need="$need netcat-openbsd"
[ -z "$need" ] && exit 0
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
	echo "setup: missing:$need (install them, e.g. apt-get install$need)" >&2
	exit 1
fi
echo "setup: installing$need" >&2
apt-get update -qq >/dev/null
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $need >/dev/null
