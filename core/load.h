/* What the load engines (flood.c, repeat.c) share: room, waits, figures. */
#ifndef NETDEMO_LOAD_H
#define NETDEMO_LOAD_H

#include <sys/epoll.h>

struct hist;
struct net_err;

/* Bounds the applets' options check, so a run's descriptors fit. */
#define LOAD_MAX_SOCKETS 1000
/* Events taken per wait. */
#define LOAD_EVENTS	64
#define LOAD_MS		1000000LL	/* a millisecond in ns */

/* The sockets of a run, one a slot (-1: none), and the set that watches. */
struct load_socks {
	int		 ep;
	int		 n;
	int		 fd[LOAD_MAX_SOCKETS];
};

/*
 * n slots without sockets and an epoll set, with room for n sockets (the
 * soft limit on open files raised if need be); -1 with e filled.
 */
int	load_start(struct load_socks *k, int n, struct net_err *e);
/* Every slot's socket closed, and the set. */
void	load_stop(struct load_socks *k);

/*
 * Flush stdout, then wait on the epoll set until the clock reads until_ns
 * at most.  An interrupted wait comes back as one that saw nothing (the
 * engines look at the clock and at sig_caught() after each wait).  The
 * number of events, or -1 with e filled.
 */
int	load_wait(int ep, struct epoll_event *evs, long long until_ns,
	    struct net_err *e);

/*
 * A run's report intervals, every secs seconds from its start: next is
 * when the one under way ends (LLONG_MAX when secs is 0: no reports).
 */
struct load_span {
	double		 secs;
	long long	 k, from, next;
};
void	load_span_start(struct load_span *p, double secs, long long t0);
/*
 * The interval under way is over at now: its nominal start and end in
 * seconds from the run's start (to the ms) and the ns it measured; the
 * next one begins.
 */
void	load_span_end(struct load_span *p, long long now, double *start,
	    double *end, long long *ns);

/* v rounded to 1/scale (10, 100, 1000): short for people; JSON agrees. */
double	load_round(double v, double scale);

/*
 * The figures of a run of ns nanoseconds that did n things, rounded for
 * people: per second, seconds, and the median and 99th percentile of h
 * in microseconds (NaN when h is empty).
 */
void	load_figures(long long ns, long long n, const struct hist *h,
	    long long *rate, double *elapsed, double *p50, double *p99);

#endif
