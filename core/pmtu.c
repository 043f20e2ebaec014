/* The path-MTU search: which size to probe next, from what came back. */
#include <stdio.h>
#include <string.h>

#include "pmtu.h"

#define TAG	"netdemo mtu-probe "

/*
 * How sure silence must make us: a size that fits must be less likely
 * than this to miss as often as the one taken as too big did, whatever
 * share of datagrams the path loses (see need()).  A search makes a few
 * dozen such calls at most, so a wrong answer stays rarer than one in ten
 * thousand runs on any path.
 */
#define DOUBT		1e-6
/* Probes of sizes that fit, seen before a path counts as too lossy. */
#define LOSSY_SEEN	40
/*
 * Misses of the smallest size that make a host silent, at least: a path
 * that loses 30% of its datagrams misses 8 in a row once in 15,000 runs.
 */
#define SILENT_MIN	8

void
pmtu_init(struct pmtu *p, int min, int max, int tries)
{
	memset(p, 0, sizeof(*p));
	p->min = min;
	p->max = max;
	p->tries = tries < 1 ? 1 : tries;
	p->hi = p->hi_told = max + 1;
	p->cur = max;
	p->end = PMTU_SEARCHING;
}

/* Probes of r that went unanswered, the one in flight aside. */
static int
misses(const struct pmtu *p, const struct pmtu_size *r)
{
	int n;

	if (r == NULL)
		return 0;
	n = r->sent - r->answered - (r->size == p->inflight);
	return n > 0 ? n : 0;
}

/*
 * Room for one more record: drop one about a size the search is past
 * (above hi, or that ICMP said is too big), else fold the smallest size
 * that fits into the totals.
 */
static void
room(struct pmtu *p)
{
	int i, k = -1;

	for (i = 0; i < p->n; i++)
		if (p->s[i].size > p->hi && (k < 0 ||
		    p->s[i].size > p->s[k].size))
			k = i;
	if (k < 0) {
		for (i = 0; i < p->n; i++)
			if (k < 0 || p->s[i].size < p->s[k].size)
				k = i;
		if (p->s[k].size <= p->lo) {
			p->folded_sent += p->s[k].sent;
			p->folded_answered += p->s[k].answered;
		}
	}
	p->s[k] = p->s[--p->n];
}

/* The record of size; made when make is set, else NULL if there is none. */
static struct pmtu_size *
record(struct pmtu *p, int size, int make)
{
	int i;

	for (i = 0; i < p->n; i++)
		if (p->s[i].size == size)
			return &p->s[i];
	if (!make)
		return NULL;
	if (p->n == PMTU_SIZES)
		room(p);
	memset(&p->s[p->n], 0, sizeof(p->s[p->n]));
	p->s[p->n].size = size;
	return &p->s[p->n++];
}

/* lost and arrived: what became of the probes of sizes that fit. */
static void
tally(struct pmtu *p)
{
	int i, sent = p->folded_sent, answered = p->folded_answered;

	p->lost = 0;
	for (i = 0; i < p->n; i++)
		if (p->s[i].size <= p->lo) {
			sent += p->s[i].sent;
			answered += p->s[i].answered;
			p->lost += misses(p, &p->s[i]);
		}
	p->lost += p->folded_sent - p->folded_answered > 0 ?
	    p->folded_sent - p->folded_answered : 0;
	p->arrived = answered < sent ? answered : sent;
}

/* The smallest size above lo that went unanswered, else hi_told. */
static int
bound(const struct pmtu *p)
{
	int i, hi = p->hi_told;

	for (i = 0; i < p->n; i++)
		if (p->s[i].size > p->lo && p->s[i].size < hi &&
		    misses(p, &p->s[i]) > 0)
			hi = p->s[i].size;
	return hi;
}

/* b to the power n, n >= 0: small powers, without libm. */
static double
power(double b, int n)
{
	double v = 1;

	while (n-- > 0)
		v *= b;
	return v;
}

/*
 * Clean misses a size needs before it counts as too big: at least tries,
 * and as many as make it unlikely (below DOUBT) that a size that fits
 * would miss that often, whatever share of datagrams the path loses.  Of
 * the probes of sizes that fit, lost went unanswered and arrived did not;
 * counting k misses more as losses, the likelihood of what was seen, at
 * the share that makes it likeliest, over its likelihood without them:
 *
 *	((l + k) / (n + k))^k * (n / (n + k))^a * ((l + k) n / ((n + k) l))^l
 *
 * with n = l + a.  PMTU_NEED_MAX + 1 when even that many would not do.
 */
static int
need(const struct pmtu *p)
{
	double l = p->lost, n = p->lost + p->arrived, g;
	int k;

	for (k = p->tries; k <= PMTU_NEED_MAX; k++) {
		g = power((l + k) / (n + k), k) *
		    power(n / (n + k), p->arrived);
		if (p->lost > 0)
			g *= power((l + k) * n / ((n + k) * l), p->lost);
		if (g <= DOUBT)
			break;
	}
	return k;
}

/*
 * Misses of the smallest size that make a host silent: twice tries, and
 * SILENT_MIN at least, so that a path that loses datagrams at random does
 * not pass for a host that never answers.
 */
static int
silent_after(const struct pmtu *p)
{
	return 2 * p->tries > SILENT_MIN ? 2 * p->tries : SILENT_MIN;
}

static void
over(struct pmtu *p, enum pmtu_end end)
{
	p->end = end;
	p->cur = 0;
}

/*
 * Where to look below size when a router said it is too big but named no
 * MTU (routers before RFC 1191): the MTUs links have (RFC 1191's table,
 * with IPv6's minimum), each a probe, rather than one byte a probe.
 */
static int
plateau_below(const struct pmtu *p, int size)
{
	static const int plateau[] = {
		32000, 17914, 8166, 4352, 2002, 1500, 1492, 1280, 1006, 576,
		508, 296, 68
	};

	for (size_t i = 0; i < sizeof(plateau) / sizeof(plateau[0]); i++)
		if (plateau[i] < size && plateau[i] >= p->min)
			return plateau[i];
	return p->min;
}

/* What the evidence says now: the size to probe next, or the end. */
static void
plan(struct pmtu *p)
{
	struct pmtu_size *h;
	int mid, n;

	tally(p);
	p->hi = bound(p);
	mid = p->lo + (p->hi - p->lo) / 2;
	if (p->lo == 0) {
		if (p->hi_told <= p->min)
			over(p, PMTU_BELOW);
		else if (p->hi == p->hi_told && p->told_mtu)
			p->cur = p->hi - 1;
		else if (p->hi == p->hi_told)
			p->cur = plateau_below(p, p->hi);
		/* The top went unanswered: the smallest size tells a size
		   too big from a host that is silent. */
		else if (misses(p, record(p, p->min, 0)) >= silent_after(p))
			over(p, PMTU_SILENT);
		else
			p->cur = p->min;
		return;
	}
	if (p->hi == p->hi_told) {
		if (p->lo + 1 >= p->hi)
			over(p, PMTU_FOUND);
		else if (p->told_mtu > p->lo && record(p, p->told_mtu, 0) ==
		    NULL)
			p->cur = p->told_mtu;	/* believe the router */
		else
			p->cur = mid;
		return;
	}
	/* hi went unanswered. */
	h = record(p, p->hi, 0);
	if (!p->trusted) {
		if (misses(p, h) >= p->tries)
			over(p, PMTU_UNSURE);
		else
			p->cur = p->hi;
		return;
	}
	/* With little seen yet, more answers next to its misses will do. */
	if ((n = need(p)) > PMTU_NEED_MAX && p->lost + p->arrived >=
	    LOSSY_SEEN)
		over(p, PMTU_LOSSY);
	else if (n <= PMTU_NEED_MAX && h->clean >= n && p->lo + 1 >= p->hi)
		over(p, PMTU_FOUND);
	/*
	 * Silence above the answer-to-be is only a direction to search,
	 * but a router's MTU gone silent is tried as often as a lost size
	 * is before the search goes below it.
	 */
	else if (p->lo + 1 < p->hi && (p->hi != p->told_mtu ||
	    h->clean >= p->tries))
		p->cur = mid;
	/* Missed as often again without an answer next to it: loss. */
	else if (misses(p, h) >= 2 * PMTU_NEED_MAX)
		over(p, PMTU_LOSSY);
	/* hi by turns with lo, so each miss has an answer next to it. */
	else
		p->cur = p->pend == p->hi ? p->lo : p->hi;
}

void
pmtu_sent(struct pmtu *p)
{
	if (p->end != PMTU_SEARCHING || p->cur == 0)
		return;
	record(p, p->cur, 1)->sent++;
	p->inflight = p->cur;
}

int
pmtu_told(struct pmtu *p, int size, int mtu)
{
	int bound, hinted = mtu >= PMTU_FLOOR4 && mtu < size, lowered = 0;

	if (p->end != PMTU_SEARCHING)
		return 0;
	if (size == p->inflight)
		p->inflight = 0;
	bound = hinted ? mtu + 1 : size;
	if (bound < p->hi_told) {
		p->hi_told = bound;
		p->told_mtu = hinted ? mtu : 0;
		lowered = 1;
	}
	/* Newer than an earlier arrival: the route changed under us. */
	if (p->lo >= p->hi_told)
		p->lo = 0;
	plan(p);
	return lowered;
}

void
pmtu_arrived(struct pmtu *p, int size, int reply)
{
	struct pmtu_size *r;

	/* A late answer to the size the search ended on: not too big. */
	if (p->end == PMTU_FOUND && pmtu_upper(p) == PMTU_BY_SILENCE &&
	    size > p->lo && size < p->hi_told)
		p->end = PMTU_SEARCHING;
	if (p->end != PMTU_SEARCHING || size < 1)
		return;
	if (reply)
		p->trusted = 1;
	if (size == p->inflight) {
		p->inflight = 0;
		/* The size missed last is too big, if this is smaller. */
		if (p->pend > size && (r = record(p, p->pend, 0)) != NULL)
			r->clean++;
		p->pend = 0;
	} else if (size == p->pend)
		p->pend = 0;
	/* Only a route change makes what ICMP refused arrive. */
	if (size >= p->hi_told) {
		plan(p);
		return;
	}
	record(p, size, 1)->answered++;
	if (size > p->lo)
		p->lo = size;
	plan(p);
}

void
pmtu_missed(struct pmtu *p, int size)
{
	if (p->end != PMTU_SEARCHING || size != p->inflight)
		return;
	p->inflight = 0;
	p->pend = size;
	plan(p);
}

enum pmtu_upper
pmtu_upper(const struct pmtu *p)
{
	if (p->lo >= p->max)
		return PMTU_BY_MAX;
	if (p->hi >= p->hi_told)
		return PMTU_BY_WORD;
	return PMTU_BY_SILENCE;
}

void
pmtu_loss(const struct pmtu *p, int *fitting, int *lost)
{
	*fitting = p->lost + p->arrived;
	*lost = p->lost;
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
	/* Up to five digits: a size an IP datagram can have. */
	for (; i < n && i < sizeof(TAG) - 1 + 5 && s[i] >= '0' && s[i] <= '9';
	    i++)
		v = v * 10 + (s[i] - '0');
	/* A quote cut inside the number would name a smaller size. */
	if (i >= n || s[i] != '\n')
		return 0;
	return v <= PMTU_MAX6 ? v : 0;
}
