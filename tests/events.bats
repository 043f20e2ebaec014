#!/usr/bin/env bats
# events.bats: an event's fields are type-checked.  Each OF_*() field
# constructor takes its value as a typed argument, so a value of the wrong
# type fails the build instead of crashing at run time.  tests/fields/
# holds one file that must build and one per mistake that must not.

load test_helper/common

FIELDS=$BATS_TEST_DIRNAME/fields

# build FILE: compile it as the project compiles its own sources.
build() {
	timeout -k 5 60 "${CC:-cc}" -std=c11 -D_GNU_SOURCE -Wall -Wextra \
	    -Werror -Wformat=2 -fsyntax-only "$FIELDS/$1"
}

@test "every field given a value of its own type builds" {
	run build good.c
	assert_success
	assert_output ''
}

@test "OF_INT given a string does not build" {
	run build int_given_a_string.c
	assert_failure
	assert_output --partial 'int_given_a_string.c:7'
}

@test "OF_INT given a double does not build" {
	run build int_given_a_double.c
	assert_failure
	assert_output --partial 'int_given_a_double.c:7'
}

@test "OF_STR given an integer does not build" {
	run build str_given_a_long.c
	assert_failure
	assert_output --partial 'str_given_a_long.c:7'
}

@test "OF_ADDR given a string does not build" {
	run build addr_given_a_string.c
	assert_failure
	assert_output --partial 'addr_given_a_string.c:7'
}

@test "OF_TEXT given an integer for its data does not build" {
	run build text_given_a_long.c
	assert_failure
	assert_output --partial 'text_given_a_long.c:9'
}

@test "OF_REAL given a string does not build" {
	run build real_given_a_string.c
	assert_failure
	assert_output --partial 'real_given_a_string.c:7'
}
