/* A latency histogram of fixed size, for the clients that measure. */
#ifndef NETDEMO_HIST_H
#define NETDEMO_HIST_H

/*
 * Latencies in nanoseconds, counted in bins of a sixteenth of a power of
 * two: within 6 % of the truth at any scale, in a fixed 5 KB.
 */
#define HIST_SUB	16
#define HIST_BINS	(40 * HIST_SUB)

struct hist {
	unsigned long long	 n;
	unsigned long long	 bin[HIST_BINS];
	long long		 min_ns, max_ns;
	double			 sum, sumsq;	/* for the mean and mdev, in ns */
};

void	hist_add(struct hist *h, long long ns);
/* The quantile q (0.5, 0.99) in microseconds; NaN when nothing was timed. */
double	hist_us(const struct hist *h, double q);
/*
 * ping's figures in microseconds: the smallest, mean, largest, and the mean
 * deviation as ping computes it (the standard deviation); NaN when empty.
 */
double	hist_min_us(const struct hist *h);
double	hist_mean_us(const struct hist *h);
double	hist_max_us(const struct hist *h);
double	hist_mdev_us(const struct hist *h);

#endif
