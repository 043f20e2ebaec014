/* The path-MTU search: which size to probe next, from what came back. */
#include <stdio.h>
#include <string.h>

#include "pmtu.h"

#define TAG	"netdemo mtu-probe "

void
pmtu_init(struct pmtu *p, int min, int max, int tries)
{
	p->min = min;
	p->max = max;
	p->tries = tries < 1 ? 1 : tries;
	p->lo = 0;
	p->hi = p->hi_told = max + 1;
	p->cur = max;
	p->misses = 0;
	p->held = p->held_misses = 0;
	p->min_tried = 0;
	p->trusted = 0;
	p->gone = 0;
	p->end = PMTU_SEARCHING;
}

/* Over when nothing lies between what arrived and what does not. */
static void
settle(struct pmtu *p)
{
	if (p->end == PMTU_SEARCHING && p->lo && p->lo + 1 >= p->hi) {
		p->end = PMTU_FOUND;
		p->cur = 0;
	}
}

/* The next size once lo or hi moved: the top until something arrives. */
static void
choose(struct pmtu *p)
{
	p->misses = 0;
	settle(p);
	if (p->end != PMTU_SEARCHING)
		return;
	p->cur = p->lo ? p->lo + (p->hi - p->lo) / 2 : p->hi - 1;
}

/* cur went unanswered tries times. */
static void
lost(struct pmtu *p)
{
	p->gone = p->cur;
	if (!p->lo)
		p->end = PMTU_SILENT;
	else if (!p->trusted)
		p->end = PMTU_UNSURE;
	else {
		p->hi = p->cur;
		choose(p);
		return;
	}
	p->cur = 0;
}

int
pmtu_told(struct pmtu *p, int size, int mtu)
{
	int bound, hinted = mtu >= PMTU_FLOOR4 && mtu < size, lowered = 0;

	if (p->end != PMTU_SEARCHING)
		return 0;
	bound = hinted ? mtu + 1 : size;
	if (bound < p->hi_told) {
		p->hi_told = bound;
		lowered = 1;
	}
	if (bound >= p->hi)
		return lowered;
	p->hi = bound;
	if (p->min >= p->hi)
		p->min = p->hi - 1;
	/* Newer than an earlier arrival: the route changed under us. */
	if (p->lo >= p->hi)
		p->lo = 0;
	if (p->held >= p->hi) {
		p->held = hinted ? p->hi - 1 : 0;
		p->held_misses = 0;
	}
	if (p->cur >= p->hi) {
		if (hinted) {
			/* Believe the router: its MTU is the next probe. */
			p->cur = p->hi - 1;
			p->misses = 0;
		} else
			choose(p);
	}
	settle(p);
	return lowered;
}

void
pmtu_arrived(struct pmtu *p, int size, int reply)
{
	if (p->end != PMTU_SEARCHING || size < 1)
		return;
	if (reply)
		p->trusted = 1;
	/* A late answer to a size given up as lost: only a router's word
	   still bounds it. */
	if (size >= p->hi) {
		if (size >= p->hi_told)
			return;
		p->hi = p->hi_told;
	}
	if (size > p->lo)
		p->lo = size;
	if (p->held && p->held > p->lo) {
		/* The path answers, so the top's silence was the size's. */
		p->cur = p->held;
		p->misses = p->held_misses;
		p->held = p->held_misses = 0;
		if (p->misses >= p->tries)
			lost(p);
		return;
	}
	p->held = 0;
	if (p->cur <= p->lo || p->cur >= p->hi)
		choose(p);
	settle(p);
}

void
pmtu_missed(struct pmtu *p, int size)
{
	if (p->end != PMTU_SEARCHING || size != p->cur)
		return;
	p->misses++;
	/*
	 * Before anything has arrived, a silent top size may be too big or
	 * the host may be silent: try the smallest size to tell which.
	 */
	if (!p->lo && !p->min_tried && p->cur > p->min) {
		p->held = p->cur;
		p->held_misses = p->misses;
		p->cur = p->min;
		p->misses = 0;
		p->min_tried = 1;
		return;
	}
	if (p->misses >= p->tries)
		lost(p);
}

size_t
pmtu_fill(void *buf, int size, int hdr)
{
	size_t len = size > hdr ? (size_t)(size - hdr) : 0;
	char tag[32];
	int n = snprintf(tag, sizeof(tag), TAG "%d\n", size);

	memset(buf, '.', len);
	memcpy(buf, tag, (size_t)n < len ? (size_t)n : len);
	return len;
}

int
pmtu_tagged(const void *d, size_t n)
{
	const char *s = d;
	size_t i = sizeof(TAG) - 1;
	int v = 0;

	if (n <= i || memcmp(s, TAG, i) != 0)
		return 0;
	/* Up to five digits, 65535 at most: a size an IP datagram can have. */
	for (; i < n && i < sizeof(TAG) - 1 + 5 && s[i] >= '0' && s[i] <= '9';
	    i++)
		v = v * 10 + (s[i] - '0');
	return v <= 65535 ? v : 0;
}
