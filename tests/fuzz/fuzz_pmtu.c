/* libFuzzer target: mtu-probe's search (core/pmtu) and its reply parsers. */
#include <stddef.h>
#include <stdint.h>

#include "../../core/book.h"
#include "../../core/pmtu.h"
#include "fuzz.h"

static int
u16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

/*
 * What a peer sends back is parsed without reading past it, and only ever
 * names a size an IP datagram can have.
 */
static void
check_parsers(const uint8_t *data, size_t size)
{
	uint8_t *d = malloc(size ? size : 1);
	static char buf[65535];
	int hdr = 28, v;
	long long n;
	size_t len;

	FUZZ_CHECK(d != NULL);
	memcpy(d, data, size);
	v = pmtu_tagged(d, size);
	FUZZ_CHECK(v >= 0 && v <= PMTU_MAX6);
	n = book_reply_size(d, size);
	FUZZ_CHECK(n >= -1);
	free(d);
	/* A probe's own tag reads back as its size. */
	if (size >= 2) {
		v = 64 + u16(data) % (65535 - 64 + 1);
		len = pmtu_fill(buf, v, hdr);
		FUZZ_CHECK(len == (size_t)(v - hdr));
		FUZZ_CHECK(pmtu_tagged(buf, len) == v);
		/* And a udp-server's reply reads back as its number. */
		len = book_reply(buf, (size_t)v);
		FUZZ_CHECK(book_reply_size(buf, len) == v);
	}
}

/*
 * The search against a network that tells the truth: sizes up to the path
 * MTU arrive (as replies, or as port unreachable when no service answers),
 * larger ones draw a router's "fragmentation needed" or vanish, as the
 * input says; on a lossy path the input also drops probes that fit.  The
 * search must end within a bound and say what is so: an arrival is proof,
 * so no answer is ever above the path, and without a loss it is exact.
 */
static void
check_search(const uint8_t *data, size_t size)
{
	struct pmtu p;
	int max, path, min, tries, reply, lossy, steps, mute = 0, dropped = 0;
	size_t k = 7;

	if (size < 7)
		return;
	max = 1280 + u16(data) % (PMTU_MAX6 - 1280 + 1);
	path = PMTU_FLOOR4 + u16(data + 2) % (PMTU_MAX6 - PMTU_FLOOR4 + 1);
	min = PMTU_FLOOR4 + data[4] % 64;
	tries = 1 + data[5] % 4;
	reply = data[6] & 1;
	lossy = data[6] & 2;
	pmtu_init(&p, min, max, tries);
	for (steps = 0; p.end == PMTU_SEARCHING; steps++) {
		int cur = p.cur, say;

		/*
		 * A router that says no MTU moves the top down by one size
		 * a probe until something arrives (then the search bisects):
		 * linear, but still bounded by the sizes there are.
		 */
		FUZZ_CHECK(steps < 4096 + (mute ? 2 * 65536 : 0));
		/* A new size above what arrived, or lo again beside it. */
		FUZZ_CHECK(cur >= p.lo && cur < p.hi_told);
		FUZZ_CHECK(cur >= min && cur <= max);
		pmtu_sent(&p);
		if (cur <= path) {
			if (lossy && k < size && (data[k++] & 1)) {
				pmtu_missed(&p, cur);
				dropped++;
			} else
				pmtu_arrived(&p, cur, reply);
			continue;
		}
		/* 0: silence; 1: the router's MTU; 2: a router without one. */
		say = k < size ? data[k++] % 3 : 0;
		if (say == 0)
			pmtu_missed(&p, cur);
		else
			pmtu_told(&p, cur, say == 1 ? path : 0);
		mute |= say == 2;
	}
	FUZZ_CHECK(p.cur == 0);
	switch (p.end) {
	case PMTU_FOUND:
		FUZZ_CHECK(p.lo <= path && p.lo <= max);
		FUZZ_CHECK(dropped || p.lo == (path < max ? path : max));
		break;
	case PMTU_BELOW:
		/* "At most hi_told - 1", and truly so. */
		FUZZ_CHECK(path < min && p.hi_told <= min && p.hi_told > path);
		break;
	case PMTU_SILENT:
		/* Not even the smallest size arrived. */
		FUZZ_CHECK(path < min || dropped);
		break;
	case PMTU_UNSURE:
		/* Only port unreachables came, and something went silent. */
		FUZZ_CHECK(!reply && (path < max || dropped));
		break;
	case PMTU_LOSSY:
		/* Sizes that fit went unanswered. */
		FUZZ_CHECK(dropped);
		break;
	case PMTU_SEARCHING:
		FUZZ_CHECK(!"still searching");
	}
}

/* The first byte picks the parsers or the search; the rest is its input. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size == 0)
		return 0;
	if (data[0] & 1)
		check_parsers(data + 1, size - 1);
	else
		check_search(data + 1, size - 1);
	return 0;
}
