/* udp-client's requests and their answers: the book's backoff, or a series. */
#ifndef NETDEMO_SERIES_H
#define NETDEMO_SERIES_H

#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "hist.h"
#include "icmp.h"
#include "net.h"

struct dgram;

/* Requests a series tells apart while they wait; groups' members tracked. */
#define SERIES_SLOTS		256
#define SERIES_RESPONDERS	256
/*
 * The largest answer: any UDP payload fits (IPv6's is 65527 bytes, IPv4's
 * 65507), so none is cut short.  A message a command line holds.
 */
#define SERIES_DGRAM_MAX	65535
#define SERIES_MSG_MAX		131072

/* What a run, or one report interval of it, saw. */
struct series_stats {
	long long	 sent;		/* requests */
	long long	 received;	/* answers to them, in their wait */
	long long	 lost;		/* answers waited out: a request's, or a
					   member's that answered before */
	long long	 late;		/* answers no request waited for */
	long long	 errors;	/* requests an ICMP error answered */
	long long	 start_ns, end_ns;
	struct hist	 rtt;
};

/* One thing that happened, as series_next() tells it. */
enum series_what {
	SERIES_WAITING,	/* the book's backoff: waiting up to delay seconds */
	SERIES_REPLY,	/* an answer to request seq, rtt_ms after it left */
	SERIES_LATE,	/* an answer to no request that still waits */
	SERIES_LOST,	/* request seq had no answer within the wait */
	SERIES_ABSENT,	/* from, who answered an earlier one, missed seq */
	SERIES_ERROR,	/* request seq failed: e, and the dgram's icmp */
	SERIES_INTERVAL, /* a report interval ended: stats */
	SERIES_DONE	/* every request answered or waited out, or a signal */
};

struct series_event {
	enum series_what what;
	long long	 seq;
	int		 attempt;	/* SERIES_WAITING: 1, 2, ... */
	double		 delay;		/* SERIES_WAITING: seconds */
	double		 rtt_ms;
	const void	*data;		/* an answer's bytes */
	size_t		 len;
	const struct sockaddr *from;
	const struct series_stats *stats;	/* SERIES_INTERVAL */
};

/*
 * A run.  count 0 is the book's single request: sent again after each
 * step of the backoff (backoff[0] doubling up to backoff[1]; 0 waits for
 * ever; -1: the book's 0.1 doubling to 2.0), one answer ends it.  Else
 * count requests, one each interval, each waiting wait seconds for its
 * answers; collect takes every responder's (a group, a broadcast), not
 * only the first.  Either way an answer is matched to its request.  A
 * request of the series says msg and then as many dots as its place
 * (seq - 1 modulo places), so that the book's "Your data was N bytes
 * long", or an echo, tells which one is answered.  There are as many
 * places as the series has requests, up to SERIES_SLOTS: far more than
 * wait together, so that a reply later than its wait is not taken for a
 * newer request's unless it is some SERIES_SLOTS intervals late.
 */
struct series {
	struct dgram	*d;
	const char	*msg;
	size_t		 len;
	long long	 count;
	double		 backoff[2];
	double		 interval, wait, report;
	int		 collect;
	/* The run as it goes. */
	int		 slots;		/* requests that may wait together */
	int		 places;	/* request lengths, in turn */
	long long	 seq;		/* the last request sent */
	long long	 retired;	/* every request up to it is done */
	long long	 next_send, next_report;	/* ns */
	int		 attempt;
	double		 delay, waited;	/* the book's backoff, seconds */
	int		 done;
	/* The last SERIES_ERROR's, for the verdict when nothing answered. */
	struct net_err	 last_err;
	struct icmp_report last_icmp;
	int		 reported;	/* interval reports made */
	int		 final;		/* 1: last interval given, 2: done */
	struct series_stats total, now, shown;
	/* A group's members, and which answered each waiting request. */
	struct sockaddr_storage who[SERIES_RESPONDERS];
	long long	 first[SERIES_RESPONDERS];	/* seq first answered */
	int		 nwho;		/* past the room, answers only count */
	struct {
		long long	 sent_ns, deadline;
		int		 answered, failed;
		uint64_t	 got[SERIES_RESPONDERS / 64];
	} slot[SERIES_SLOTS];
	int		 absent_next;	/* the next member to check, expiring */
};

/*
 * How many requests may wait together for count, interval and wait: the
 * slots a series needs, more than SERIES_SLOTS when it cannot.
 */
int	series_slots(long long count, double interval, double wait);

/*
 * What a usage error says when count requests, one each interval, cannot
 * each wait wait seconds and still be told apart; NULL when they can.
 */
const char *series_check(long long count, double interval, double wait);

/* Make s ready to run, its options and d set; resets what it counts. */
void	series_start(struct series *s);

/*
 * The next thing that happened, waiting for it as need be: 1 with ev
 * filled, or 0 after SERIES_DONE, or -1 with e when the run cannot go
 * on (the wait failed, stdout failed).
 */
int	series_next(struct series *s, struct series_event *ev,
	    struct net_err *e);

#endif
