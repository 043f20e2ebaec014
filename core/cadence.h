/* Whether events came at a steady rate: the mark of a rate limit. */
#ifndef NETDEMO_CADENCE_H
#define NETDEMO_CADENCE_H

/* Events are also counted per tick, over the last CADENCE_TICKS ticks. */
#define CADENCE_TICK_NS	10000000LL	/* 10 ms */
#define CADENCE_TICKS	2048		/* 20.48 s */

/*
 * Random loss thins a stream of replies at random: the gaps between them
 * vary as much as they are long, and the count in a stretch of time
 * varies about as much as it is large.  A rate limit (a token bucket)
 * lets replies through at its own pace, whatever is offered: the gaps
 * are alike, and the counts vary far less than they are large.  Both
 * are measured here, after a settling time that lets a bucket's first
 * burst go by.
 */
struct cadence {
	long long	 settle_ns;	/* events before it are not looked at */
	long long	 n;		/* events since settle_ns */
	long long	 last_ns;
	double		 gap_mean, gap_m2;	/* Welford's running figures */
	long long	 top;		/* the newest tick counted; -1: none */
	unsigned	 tick[CADENCE_TICKS];
};

/* Times are in ns from the start of the run, and never go back. */
void	cadence_init(struct cadence *c, long long settle_ns);
void	cadence_add(struct cadence *c, long long t_ns);
/*
 * The whole number of events a second they came at, steadily, up to
 * end_ns; NaN when they did not come steadily, or were too few to tell.
 */
double	cadence_rate(const struct cadence *c, long long end_ns);

#endif
