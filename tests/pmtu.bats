#!/usr/bin/env bats
# pmtu.bats: mtu-probe's search (core/pmtu.c) on paths simulated in memory
# by test_helper/pmtu_path.c, for what no Linux router in a namespace
# does: a "fragmentation needed" that names no MTU, a quote cut short.

load test_helper/common

setup_file() {
	export PMTU_PATH=$BATS_FILE_TMPDIR/pmtu_path
	timeout -k 5 60 "${CC:-cc}" -std=c11 -D_GNU_SOURCE -Wall -Wextra \
	    -Werror -o "$PMTU_PATH" "$BATS_TEST_DIRNAME/test_helper/pmtu_path.c" \
	    "$BATS_TEST_DIRNAME/../core/pmtu.c" -lm
}

@test "a router that names no MTU is searched by plateaus, within the probe budget" {
	local mtu
	# PMTU_FOUND is 1 in enum pmtu_end.
	for mtu in 68 576 1006 1280 1400 1499 1500 9000; do
		run "$PMTU_PATH" search "$mtu" 0 68 65535 30
		assert_success
		assert_output --regexp "^end 1 lo $mtu probes ([0-9]|[12][0-9]|30)$"
	done
}

@test "a router that names its MTU is believed at once" {
	run "$PMTU_PATH" search 1280 1280 68 1500 100
	assert_success
	assert_output 'end 1 lo 1280 probes 2'
}

@test "a router that names no MTU below --min: at most, not a number" {
	# PMTU_BELOW is 2.
	run "$PMTU_PATH" search 1280 0 1300 1500 100
	assert_success
	assert_output --regexp '^end 2 lo 0 probes [0-9]+$'
}

@test "a probe's tag cut inside its number names no size" {
	local cut
	# "netdemo mtu-probe " is 18 bytes, then "1492" and a newline.
	for cut in 18 19 20 21 22; do
		run "$PMTU_PATH" tag 1492 "$cut"
		assert_output '0'
	done
	run "$PMTU_PATH" tag 1492 23
	assert_output '1492'
}
