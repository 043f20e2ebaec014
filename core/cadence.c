/* Whether events came at a steady rate: the mark of a rate limit. */
#include <math.h>
#include <string.h>

#include "cadence.h"

/*
 * How steady is steady.  Gaps: their standard deviation under a quarter
 * of their mean (random loss gives about the mean itself, or more), over
 * 8 gaps at least.  Counts: in groups of ticks that hold 4 events or more
 * on average, their variance under a quarter of their mean (random loss
 * gives about the mean, or more), over 16 groups at least.  A bucket
 * that holds a second's worth of tokens lets a busy machine's bursts
 * through, so that only whole seconds are flat: counts per second, over
 * 5 of them at least, with a variance under a twentieth of their mean.
 * Whichever tells, the rate must lie within 3 % of a whole number: a
 * limit is set as one.
 */
#define MIN_GAPS	8
#define MAX_GAP_CV	0.25
#define GROUP_MEAN	4
#define MIN_GROUPS	16
#define MAX_DISPERSION	0.25
#define SECOND_TICKS	(1000000000LL / CADENCE_TICK_NS)
#define MIN_SECONDS	5
#define MAX_SECOND_DISPERSION	0.05
#define WHOLE_SLACK	0.03

void
cadence_init(struct cadence *c, long long settle_ns)
{
	memset(c, 0, sizeof(*c));
	c->settle_ns = settle_ns;
	c->top = -1;
}

void
cadence_add(struct cadence *c, long long t_ns)
{
	long long i = t_ns / CADENCE_TICK_NS;

	if (t_ns < c->settle_ns)
		return;
	if (c->n > 0) {
		/* Welford's update, over the n gaps so far. */
		double gap = (double)(t_ns - c->last_ns);
		double d = gap - c->gap_mean;

		c->gap_mean += d / (double)c->n;
		c->gap_m2 += d * (gap - c->gap_mean);
	}
	c->n++;
	c->last_ns = t_ns;
	/* Ticks that passed without an event are zeros in the ring. */
	for (long long k = c->top + 1; k <= i && k <= c->top + CADENCE_TICKS;
	    k++)
		c->tick[k % CADENCE_TICKS] = 0;
	if (i > c->top)
		c->top = i;
	c->tick[i % CADENCE_TICKS]++;
}

/*
 * rate, when it lies near enough a whole number: that number; else NaN.
 * A rate is never negative, and never near the range of a long long.
 */
static double
whole(double rate)
{
	double n = (double)(long long)(rate + 0.5);

	return n >= 1 && fabs(rate - n) <= WHOLE_SLACK * n ? n : NAN;
}

/* The steady rate the gaps between events tell, or NaN. */
static double
by_gaps(const struct cadence *c)
{
	long long gaps = c->n - 1;

	if (gaps < MIN_GAPS || c->gap_mean <= 0)
		return NAN;
	if (sqrt(c->gap_m2 / (double)(gaps - 1)) >= MAX_GAP_CV * c->gap_mean)
		return NAN;
	return whole(1e9 / c->gap_mean);
}

/* Events in tick i (ticks past the newest one counted hold none). */
static unsigned
count_at(const struct cadence *c, long long i)
{
	return i > c->top ? 0 : c->tick[i % CADENCE_TICKS];
}

/*
 * The steady rate the counts per stretch of time tell, or NaN: in groups
 * of min_size ticks at least, that hold GROUP_MEAN events on average or
 * more, min_groups of them at least, whose variance is under max_d times
 * their mean.
 */
static double
by_counts(const struct cadence *c, long long end_ns, long long min_size,
    long long min_groups, double max_d)
{
	/* Whole ticks only, after settling, and still in the ring. */
	long long last = end_ns / CADENCE_TICK_NS;
	long long first = (c->settle_ns + CADENCE_TICK_NS - 1) /
	    CADENCE_TICK_NS;
	long long ticks, size, groups, sum = 0;
	double mean, var = 0;

	if (first < c->top - CADENCE_TICKS + 1)
		first = c->top - CADENCE_TICKS + 1;
	if (first < last - CADENCE_TICKS)
		first = last - CADENCE_TICKS;
	if ((ticks = last - first) <= 0)
		return NAN;
	for (long long i = first; i < last; i++)
		sum += count_at(c, i);
	if (sum == 0)
		return NAN;
	size = (GROUP_MEAN * ticks + sum - 1) / sum;
	if (size < min_size)
		size = min_size;
	if ((groups = ticks / size) < min_groups)
		return NAN;
	first = last - groups * size;
	sum = 0;
	for (long long i = first; i < last; i++)
		sum += count_at(c, i);
	mean = (double)sum / (double)groups;
	for (long long g = 0; g < groups; g++) {
		long long in = 0;

		for (long long i = 0; i < size; i++)
			in += count_at(c, first + g * size + i);
		var += ((double)in - mean) * ((double)in - mean);
	}
	var /= (double)(groups - 1);
	if (var >= max_d * mean)
		return NAN;
	return whole((double)sum * 1e9 / (double)(groups * size *
	    CADENCE_TICK_NS));
}

double
cadence_rate(const struct cadence *c, long long end_ns)
{
	double rate = by_gaps(c);

	if (isnan(rate))
		rate = by_counts(c, end_ns, 1, MIN_GROUPS, MAX_DISPERSION);
	if (isnan(rate))
		rate = by_counts(c, end_ns, SECOND_TICKS, MIN_SECONDS,
		    MAX_SECOND_DISPERSION);
	return rate;
}
