/* What the load engines (flood.c, repeat.c) share: room, waits, figures. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <sys/resource.h>
#include <unistd.h>

#include "clock.h"
#include "hist.h"
#include "load.h"
#include "net.h"
#include "out.h"

int
load_start(struct load_socks *k, int n, struct net_err *e)
{
	struct rlimit rl;
	rlim_t want = (rlim_t)n + 64;

	k->n = n;
	for (int i = 0; i < n; i++)
		k->fd[i] = -1;
	/*
	 * Our own limit (pid 0), read and set by the one system call;
	 * setrlimit() would also stop every other thread to set theirs,
	 * and this process has none.
	 */
	if (prlimit(0, RLIMIT_NOFILE, NULL, &rl) == 0 && rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max != RLIM_INFINITY &&
		    rl.rlim_max < want ? rl.rlim_max : want;
		(void)prlimit(0, RLIMIT_NOFILE, &rl, NULL);
	}
	if ((k->ep = epoll_create1(EPOLL_CLOEXEC)) < 0)
		return net_fail(e, errno, "set up the event loop", NULL, NULL,
		    0);
	return 0;
}

void
load_stop(struct load_socks *k)
{
	for (int i = 0; i < k->n; i++)
		if (k->fd[i] >= 0)
			close(k->fd[i]);
	close(k->ep);
}

int
load_wait(int ep, struct epoll_event *evs, long long until_ns,
    struct net_err *e)
{
	long long now = clock_ns();
	/* In whole milliseconds, rounded up so that we never spin. */
	int ms = until_ns <= now ? 0 : (int)((until_ns - now + LOAD_MS - 1) /
	    LOAD_MS);
	int n;

	if (out_flush() < 0)
		return net_fail(e, errno, "write to stdout", NULL, NULL, 0);
	n = epoll_wait(ep, evs, LOAD_EVENTS, ms);
	if (n < 0 && errno == EINTR)
		return 0;
	if (n < 0)
		return net_fail(e, errno, "wait for events", NULL, NULL, 0);
	return n;
}

void
load_span_start(struct load_span *p, double secs, long long t0)
{
	p->secs = secs;
	p->k = 0;
	p->from = t0;
	p->next = secs > 0 ? t0 + (long long)(secs * 1e9) : LLONG_MAX;
}

void
load_span_end(struct load_span *p, long long now, double *start,
    double *end, long long *ns)
{
	*start = load_round((double)p->k * p->secs, 1000);
	*end = load_round((double)++p->k * p->secs, 1000);
	*ns = now - p->from;
	p->from = now;
	p->next += (long long)(p->secs * 1e9);
}

double
load_round(double v, double scale)
{
	return isfinite(v) ? (double)(long long)(v * scale + 0.5) / scale : v;
}

void
load_figures(long long ns, long long n, const struct hist *h,
    long long *rate, double *elapsed, double *p50, double *p99)
{
	double secs = (double)ns / 1e9;

	*rate = (long long)((double)n / (secs > 0 ? secs : 1e-9) + 0.5);
	*elapsed = load_round(secs, 1000);
	*p50 = load_round(hist_us(h, 0.5), 10);
	*p99 = load_round(hist_us(h, 0.99), 10);
}
