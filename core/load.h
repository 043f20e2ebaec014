/* Load of our own: a UDP flood and repeated TCP exchanges, timed. */
#ifndef NETDEMO_LOAD_H
#define NETDEMO_LOAD_H

#include <sys/socket.h>

struct net_err;

/*
 * Latencies in nanoseconds, counted in bins of a sixteenth of a power of
 * two: within 6 % of the truth at any scale, in a fixed 5 KB.
 */
#define LOAD_SUB	16
#define LOAD_BINS	(40 * LOAD_SUB)

struct load_hist {
	unsigned long long	 n;
	unsigned long long	 bin[LOAD_BINS];
};

void	load_hist_add(struct load_hist *h, long long ns);
/* The quantile q (0.5, 0.99) in microseconds; 0 when nothing was timed. */
double	load_hist_us(const struct load_hist *h, double q);

/* Bounds the applets' options check, so a run's descriptors fit. */
#define LOAD_MAX_SOCKETS 1000

/*
 * window requests in flight, each on its own connected socket, for secs
 * seconds.  A request unanswered within the retransmission timeout is sent
 * again one byte longer (or shorter), so the book's reply "Your data was N
 * bytes long" tells a late answer to the old request from the answer to the
 * new one.  Requests still unanswered when the drain ends are lost.
 */
struct load_udp {
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
	struct load_hist rtt;
	/* The figures to show, rounded: replies/s, % lost, round trip. */
	long long	 rate;
	double		 loss, p50_us, p99_us;
};

int	load_udp(struct load_udp *u, struct net_err *e);

/*
 * The sixteen-octet exchange count times, parallel at once: connect, send
 * "Hi there, server", read "Farewell, client", wait for the server to
 * close (so that it, not we, keeps the TIME_WAIT), close.
 */
struct load_tcp {
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
	struct load_hist lat;		/* connect() to the 16th byte */
	/* The figures to show, rounded: connections/s, latency. */
	long long	 rate;
	double		 p50_us, p99_us;
};

int	load_tcp(struct load_tcp *t, struct net_err *e);

#endif
