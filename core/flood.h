/* udp-client --flood: many requests in flight, timed and counted. */
#ifndef NETDEMO_FLOOD_H
#define NETDEMO_FLOOD_H

#include <stddef.h>
#include <sys/socket.h>

#include "hist.h"

struct net_err;

/*
 * window requests in flight, each on its own connected socket, for secs
 * seconds.  A request unanswered within the retransmission timeout is sent
 * again one byte longer (or shorter), so the book's reply "Your data was N
 * bytes long" tells a late answer to the old request from the answer to the
 * new one.  Requests still unanswered when the drain ends are lost.
 */
struct flood {
	const struct sockaddr *to;
	socklen_t	 tolen;
	const char	*msg;		/* what a request says; len bytes */
	size_t		 len;
	int		 window;
	double		 secs;
	/* What happened. */
	long long	 sent;		/* requests, resends included */
	long long	 replies;	/* answered within secs */
	long long	 late;		/* answered after their resend */
	long long	 drained;	/* answered after secs */
	long long	 lost;		/* never answered */
	long long	 odd;		/* replies the book never sends */
	long long	 errors;	/* the system refused a send or reply */
	int		 last_err;
	int		 stopped;	/* a signal ended the run early */
	double		 elapsed;	/* seconds of the measured run */
	struct hist	 rtt;
	/* The figures to show, rounded: replies/s, % lost, round trip. */
	long long	 rate;
	double		 loss, p50_us, p99_us;
};

/* 0, or -1 with e filled when the run could not be made at all. */
int	flood_run(struct flood *u, struct net_err *e);

#endif
