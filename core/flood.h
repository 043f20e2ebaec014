/* udp-client --flood: many requests in flight, timed and counted. */
#ifndef NETDEMO_FLOOD_H
#define NETDEMO_FLOOD_H

#include <stddef.h>
#include <sys/socket.h>

#include "cadence.h"
#include "hist.h"

struct net_err;

/*
 * What became of the requests of a stretch of the run (an interval, or
 * the whole).  Each request sent ends as one of: answered in time
 * (replies, or drained when the answer came after the measured run),
 * refused, failed with another error, timed out (not answered within its
 * timeout), or still in flight at the end.  A request that timed out may
 * yet be answered: late counts those answers, in the stretch they came in.
 * An answer to a request already answered, or already counted late, is a
 * copy (a path or a server that sends twice): copies counts them, apart,
 * so that they neither answer a request nor hide one that was lost.
 */
struct flood_tally {
	long long	 sent;		/* requests, resends included */
	long long	 replies;	/* answered in time, during the run */
	long long	 drained;	/* answered in time, after it */
	long long	 timed_out;	/* unanswered within their timeout */
	long long	 late;		/* answers that came after it */
	long long	 copies;	/* answers that came a second time */
	long long	 refused;	/* ICMP port unreachable */
	long long	 errors;	/* other errors the system reported */
	long long	 odd;		/* neither the book's nor an echo */
	long long	 book, echo;	/* answers of each kind */
	long long	 in_flight;	/* requests out at the end of it */
	long long	 refused_from, refused_until;	/* ns into the run */
	struct hist	 rtt;		/* of the replies */
};

struct flood;

/* Called at the end of each interval of the run (see report_ns). */
typedef void	flood_interval_fn(const struct flood *u,
		    const struct flood_tally *t, long long from_ns,
		    long long to_ns);

/*
 * window requests in flight, each on its own connected socket, for secs
 * seconds.  A request unanswered within the retransmission timeout is
 * lost, and sent again.  A slot's requests are one byte longer each (one
 * shorter, for a message too large for that), in a cycle of four
 * lengths, so that an answer tells which it answers (the book's reply
 * "Your data was N bytes long" by its N, an echo server's by its length):
 * a late answer or a copy is never taken for the one out now.  When the measured run ends, the requests still out have until
 * their timeout to come back (on a signal, none: they stay in flight).
 */
struct flood {
	const struct sockaddr *to;
	socklen_t	 tolen;
	const char	*msg;		/* what a request says; len bytes */
	size_t		 len;
	int		 window;
	double		 secs;
	long long	 report_ns;	/* each interval; 0: none */
	flood_interval_fn *interval;
	/* What happened. */
	struct flood_tally all;
	int		 intervals;	/* how many were reported */
	int		 last_err;	/* the last error but a refusal, or 0 */
	int		 stopped;	/* a signal ended the run early */
	long long	 ran_ns;	/* the measured run */
	struct cadence	 pace;		/* when the replies came */
};

/* 0, or -1 with e filled when the run could not be made at all. */
int	flood_run(struct flood *u, struct net_err *e);

#endif
