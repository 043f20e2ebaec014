/* A latency histogram of fixed size, for the clients that measure. */
#include <math.h>

#include "hist.h"

void
hist_add(struct hist *h, long long ns)
{
	unsigned long long v = ns < 0 ? 0 : (unsigned long long)ns;
	int i, e;

	if (h->n == 0 || ns < h->min_ns)
		h->min_ns = ns;
	if (h->n == 0 || ns > h->max_ns)
		h->max_ns = ns;
	h->sum += (double)ns;
	h->sumsq += (double)ns * (double)ns;
	if (v >> 40)
		v = (1ULL << 40) - 1;
	if (v < HIST_SUB)
		i = (int)v;
	else {
		e = 63 - __builtin_clzll(v);
		i = (e - 3) * HIST_SUB + (int)((v >> (e - 4)) & (HIST_SUB - 1));
	}
	h->bin[i]++;
	h->n++;
}

double
hist_us(const struct hist *h, double q)
{
	unsigned long long want = (unsigned long long)(q * (double)h->n + 0.5);
	unsigned long long seen = 0;

	if (h->n == 0)
		return NAN;
	if (want < 1)
		want = 1;
	for (int i = 0; i < HIST_BINS; i++) {
		if ((seen += h->bin[i]) < want)
			continue;
		if (i < HIST_SUB)
			return i / 1000.0;
		/*
		 * The middle of the bin: it starts at 2^e + m 2^(e-4), for
		 * e = i / HIST_SUB + 3 and m = i % HIST_SUB, and is 2^(e-4)
		 * wide; twice that middle is (33 + 2m) 2^(e-4).
		 */
		return (double)((33ULL + 2 * (unsigned)(i % HIST_SUB)) <<
		    (i / HIST_SUB - 1)) / 2000.0;
	}
	return NAN;
}

double
hist_min_us(const struct hist *h)
{
	return h->n ? (double)h->min_ns / 1000.0 : NAN;
}

double
hist_max_us(const struct hist *h)
{
	return h->n ? (double)h->max_ns / 1000.0 : NAN;
}

double
hist_mean_us(const struct hist *h)
{
	return h->n ? h->sum / (double)h->n / 1000.0 : NAN;
}

double
hist_mdev_us(const struct hist *h)
{
	double mean, var;

	if (h->n == 0)
		return NAN;
	mean = h->sum / (double)h->n;
	var = h->sumsq / (double)h->n - mean * mean;
	return (var > 0 ? sqrt(var) : 0) / 1000.0;
}
