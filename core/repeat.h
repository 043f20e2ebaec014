/* tcp-client --repeat: the sixteen-octet exchange, or the handshake, timed. */
#ifndef NETDEMO_REPEAT_H
#define NETDEMO_REPEAT_H

#include <sys/socket.h>

#include "dial.h"
#include "hist.h"

struct net_err;
struct repeat;

/* One connection over, for repeat's each(). */
struct repeat_one {
	long long	 seq;		/* 1, 2, ... in the order started */
	int		 err;		/* 0: done, else fail says why */
	long long	 ns;		/* done: the time measured */
	struct sockaddr_storage local;	/* done: our end */
	const struct dial_fail *fail;
};

/* A report interval of the run, for repeat's tick(). */
struct repeat_span {
	double		 start, end;	/* seconds from the start, nominal */
	long long	 ns;		/* measured */
	long long	 done, failed;
	const struct hist *lat;
};

/*
 * count exchanges, parallel at once: connect from a socket aimed by aim,
 * send "Hi there, server", read "Farewell, client", wait for the server
 * to close (so that it, not we, keeps the TIME_WAIT), close.  With
 * connect_only, the handshake alone, then close.  interval > 0 starts
 * one every interval seconds; back to back otherwise.
 */
struct repeat {
	const struct sockaddr *to;
	socklen_t	 tolen;
	const struct aim *aim;
	long long	 count;
	int		 parallel;
	int		 connect_only;
	double		 timeout;	/* seconds for one exchange; 0: none */
	double		 interval;	/* seconds between starts; 0: none */
	double		 report;	/* seconds between tick()s; 0: none */
	/* Told as the run goes: each connection (when not NULL), each report. */
	void		(*each)(struct repeat *t, const struct repeat_one *one);
	void		(*tick)(struct repeat *t, const struct repeat_span *s);
	/* What happened. */
	long long	 done;
	long long	 failed;	/* refused, reset, timeout, bad reply */
	/*
	 * The last failure: e.err 0 when none; EPROTO for a reply that is not
	 * the book's; e.op "connect to" while connecting, else "recv from".
	 */
	struct dial_fail last;
	int		 stopped;
	double		 elapsed;
	struct hist	 lat;		/* connect() to the 16th byte, or to
					   the handshake's end */
	struct hist	 span_lat;	/* the same, this report interval */
	/* The figures to show, rounded: connections/s, latency. */
	long long	 rate;
	double		 p50_us, p99_us;
};

/* 0, or -1 with e filled when the run could not be made at all. */
int	repeat_run(struct repeat *t, struct net_err *e);

/*
 * The run's verdict, once its summary is out: nothing when every exchange
 * was done.  Otherwise exit 1 (3 when no exchange was done and the last
 * one got no answer in time), said as the last failure when none was
 * done or a reply was not the book's, or as how many failed; with each()
 * (which said every failure) as the count alone.
 */
void	repeat_end(const struct repeat *t);

#endif
