#!/usr/bin/env bats
# layers.bats: the shape of the code.  core/ is in layers (base, runtime,
# net, cli; the man page maker and the applets on top), listed in the
# Makefile; an #include never goes up a layer nor round a cycle, and a
# base module includes nothing of ours.  The checker itself is shown to
# catch each kind of break, on a small tree made for the purpose.

load test_helper/common

ROOT=$(cd "$BATS_TEST_DIRNAME/.." && pwd -P)
CHECK=$BATS_TEST_DIRNAME/test_helper/layers.py

layers() {
	timeout -k 5 60 make -s --no-print-directory -C "$ROOT" layers
}

# fake FILE 'LINE'...: a file of the made-up tree, with those lines.
fake() {
	local f=$BATS_TEST_TMPDIR/tree/$1
	shift
	mkdir -p "${f%/*}"
	printf '%s\n' "$@" >"$f"
}

# A made-up tree that obeys the rules: base a, runtime b, net c, cli d.
fake_tree() {
	fake core/a.c '#include "a.h"'
	fake core/a.h '/* a */'
	fake core/b.c '#include "a.h"' '#include "b.h"'
	fake core/b.h '/* b */'
	fake core/c.c '#include "b.h"' '#include "c.h"'
	fake core/c.h '/* c */'
	fake core/c2.c '#include "c.h"' '#include "c2.h"'
	fake core/c2.h '/* c2 */'
	fake core/d.c '#include "c.h"' '#include "applet.h"'
	fake core/applet.h '/* descriptors */'
	fake applets/x.c '#include "../core/d.h"' '#include "applets.h"'
	fake applets/applets.h '#include "../core/applet.h"'
	fake core/d.h '/* d */'
	FAKE_LAYERS=$'base core/a.c\nruntime core/b.c\nnet core/c.c core/c2.c\ncli core/d.c\nman\napplets applets/x.c'
}

check_fake() {
	run python3 "$CHECK" "$BATS_TEST_TMPDIR/tree" <<<"$FAKE_LAYERS"
}

@test "every #include in core/ and applets/ follows the layers downward" {
	run bash -c "make -s --no-print-directory -C '$ROOT' layers |
	    python3 '$CHECK' '$ROOT'"
	assert_success
	assert_output ''
}

@test "every file of core/ and applets/ is in a layer of the Makefile" {
	local f all
	run layers
	assert_success
	all=" ${output//$'\n'/ } "
	for f in "$ROOT"/core/*.c "$ROOT"/applets/*.c; do
		[[ $all == *" ${f#"$ROOT"/} "* ]] ||
		    fail "${f#"$ROOT"/} is in no layer"
	done
}

@test "the layer check passes a tree that obeys the rules" {
	fake_tree
	check_fake
	assert_success
	assert_output ''
}

@test "the layer check catches an include that goes up a layer" {
	fake_tree
	fake core/b.c '#include "a.h"' '#include "b.h"' '#include "c.h"'
	check_fake
	assert_failure
	assert_output 'core/b.c (runtime) includes core/c.h (net): an include goes up'
}

@test "the layer check catches a cycle of includes inside a layer" {
	fake_tree
	fake core/c.c '#include "b.h"' '#include "c.h"' '#include "c2.h"'
	check_fake
	assert_failure
	assert_output 'a cycle of includes: core/c -> core/c2 -> core/c'
}

@test "the layer check catches a base module that includes another" {
	fake_tree
	fake core/a.c '#include "a.h"' '#include "b.h"'
	check_fake
	assert_failure
	assert_line 'core/a.c (base) includes core/b.h: base modules include no project header'
}

@test "the layer check catches an applet that includes another applet" {
	fake_tree
	fake applets/y.c '#include "x.h"'
	fake applets/x.h '/* x */'
	FAKE_LAYERS+=$' applets/y.c'
	check_fake
	assert_failure
	assert_output --partial 'applets/y.c includes applets/x.h: applets depend on core only'
}

@test "the layer check catches a file in no layer" {
	fake_tree
	fake core/e.c '#include "a.h"'
	check_fake
	assert_failure
	assert_output 'core/e.c is in no layer: add it to one in the Makefile'
}

@test "mkman, the page maker, links no network code" {
	local nm
	run timeout -k 5 300 make -s --no-print-directory -C "$ROOT" man
	assert_success
	run nm "$ROOT/build/mkman"
	assert_success
	# Every applet's code and the net layer's stay out of the page maker.
	refute_line --regexp ' [Tt] (net_|icmp_|srv_|flood_|repeat_|load_|[a-z_]+_main$)'
	assert_line --regexp ' T man_page$'
}
