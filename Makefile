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
