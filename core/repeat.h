/* tcp-client --repeat: the sixteen-octet exchange, many times, timed. */
#ifndef NETDEMO_REPEAT_H
#define NETDEMO_REPEAT_H

#include <sys/socket.h>

#include "hist.h"

struct net_err;

/*
 * The sixteen-octet exchange count times, parallel at once: connect, send
 * "Hi there, server", read "Farewell, client", wait for the server to
 * close (so that it, not we, keeps the TIME_WAIT), close.
 */
struct repeat {
	const struct sockaddr *to;
	socklen_t	 tolen;
	long long	 count;
	int		 parallel;
	double		 timeout;	/* seconds for one exchange */
	/* What happened. */
	long long	 done;
	long long	 failed;	/* refused, reset, timeout, bad reply */
	int		 last_err;	/* the last failure's errno, or 0 */
	int		 stopped;
	double		 elapsed;
	struct hist	 lat;		/* connect() to the 16th byte */
	/* The figures to show, rounded: connections/s, latency. */
	long long	 rate;
	double		 p50_us, p99_us;
};

/* 0, or -1 with e filled when the run could not be made at all. */
int	repeat_run(struct repeat *t, struct net_err *e);

#endif
