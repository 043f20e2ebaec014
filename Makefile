# netdemo: one small C program, libc only.  See README.md.
CC      ?= cc
CFLAGS  ?= -O2 -g
WARN    := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror
PREFIX  ?= /usr/local
BINDIR  := $(PREFIX)/bin

CORE    := $(wildcard core/*.c)
APPLETS := $(wildcard applets/*.c)
SRCS    := $(CORE) $(APPLETS)
HDRS    := $(wildcard core/*.h)
OBJS    := $(SRCS:%.c=build/obj/%.o)

.PHONY: all test demo clean links

all: netdemo links

netdemo: $(OBJS)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $(OBJS)

build/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) -c -o $@ $<

# A link per applet and book program, so `build/bin/udp_local server` works.
links: netdemo
	@mkdir -p build/bin
	@./netdemo --install build/bin

test: all
	@tests/setup.sh
	bats tests

demo: all
	@tests/demo.sh

clean:
	rm -rf build netdemo

# ---------------------------------------------------------------------------
# Reliability: sanitizers, valgrind, fuzzing, soak (tests/README.reliability).
# Every process a test starts writes its sanitizer or memcheck report to a
# log directory, not only to a stderr the test may never read (a server in
# the background), and each target fails if any report was written.

SAN_CC     ?= $(CC)
SAN_CFLAGS ?= -O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined \
	      -fno-sanitize-recover=all
SAN_OBJS   := $(SRCS:%.c=build/asan/obj/%.o)
SAN_LOGS   := build/asan/logs
SAN_ENV    := ASAN_OPTIONS=log_path=$(CURDIR)/$(SAN_LOGS)/asan:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:check_initialization_order=1 \
	      UBSAN_OPTIONS=log_path=$(CURDIR)/$(SAN_LOGS)/ubsan:print_stacktrace=1:halt_on_error=1

# The bats files run under memcheck: the book's programs, dispatch and the
# hostile peers, where they exist.  Override to run others.
VALGRIND_BATS ?= $(wildcard tests/netdemo.bats tests/book.bats \
		   tests/robust.bats)
VG_DIR     := build/valgrind
VG_ENV     := ND_VG_REAL=$(CURDIR)/netdemo ND_VG_DIR=$(CURDIR)/$(VG_DIR) \
	      ND_TIMEOUT=60 ND_START_TIMEOUT=30 ND_STOP_TIMEOUT=15 \
	      ND_SERVER_LIFETIME=600 ND_SLOW=1

FUZZ_CC    ?= clang
FUZZ_SECS  ?= 10
FUZZ_CFLAGS ?= -O1 -g -fno-omit-frame-pointer \
	       -fsanitize=address,undefined -fno-sanitize-recover=all
# The core and the applets' tables, without main(): a target calls them.
FUZZ_SRCS  := $(filter-out core/main.c,$(SRCS))
FUZZ_OBJS  := $(FUZZ_SRCS:%.c=build/fuzz/obj/%.o)
# fuzz_icmp needs the ICMP record parser, core/icmp.c.
FUZZ_NAMES := $(filter-out $(if $(wildcard core/icmp.c),,fuzz_icmp), \
	      $(patsubst tests/fuzz/%.c,%,$(wildcard tests/fuzz/fuzz_*.c)))
FUZZ_BINS  := $(FUZZ_NAMES:%=build/fuzz/%)

.PHONY: check valgrind fuzz fuzz-build soak

build/asan/netdemo: $(SAN_OBJS)
	$(SAN_CC) $(SAN_CFLAGS) $(LDFLAGS) -o $@ $(SAN_OBJS)

build/asan/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(SAN_CC) $(WARN) $(SAN_CFLAGS) -c -o $@ $<

check: build/asan/netdemo
	@tests/setup.sh
	@rm -rf $(SAN_LOGS) && mkdir -p $(SAN_LOGS)
	@rc=0; $(SAN_ENV) NETDEMO=$(CURDIR)/build/asan/netdemo \
	    ND_TIMEOUT=20 ND_START_TIMEOUT=10 ND_STOP_TIMEOUT=5 \
	    bats tests || rc=$$?; \
	tests/sanlogs.sh $(SAN_LOGS) || rc=1; exit $$rc

valgrind: all
	@tests/setup.sh
	@command -v valgrind >/dev/null || { echo "make valgrind: install" \
	    "valgrind (apt-get install valgrind)" >&2; exit 1; }
	@rm -rf $(VG_DIR) && mkdir -p $(VG_DIR)/logs
	@rc=0; $(VG_ENV) NETDEMO=$(CURDIR)/tests/valgrind-netdemo \
	    bats $(VALGRIND_BATS) || rc=$$?; \
	tests/sanlogs.sh $(VG_DIR)/logs || rc=1; exit $$rc

build/fuzz/obj/%.o: %.c $(HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<

build/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h $(FUZZ_OBJS)
	$(FUZZ_CC) $(WARN) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_OBJS)

fuzz-build: $(FUZZ_BINS)

fuzz: fuzz-build
	tests/fuzz/run.sh $(FUZZ_SECS) $(FUZZ_NAMES)

soak: all
	tests/soak.sh
