/* tcp-client's upper-casing stream: send, read back, and say how it goes. */
#ifndef NETDEMO_STREAM_H
#define NETDEMO_STREAM_H

#include <stddef.h>
#include <sys/socket.h>

#include "load.h"

struct net_err;

/* The first recv of the book's client: up to 42 bytes. */
#define STREAM_FIRST	42

/* What stream_next() has to tell, one at a time. */
enum stream_event {
	STREAM_SENT,		/* some bytes went out: sent moved */
	STREAM_SHUT,		/* all sent, our side shut: now receiving */
	STREAM_FIRST_DATA,	/* first[0..nfirst) is what came back first */
	STREAM_RECEIVED,	/* some bytes came back after the shut */
	STREAM_SPAN,		/* a report interval is over: span */
	STREAM_STALL,		/* no progress for the stall: outq, inq */
	STREAM_DONE,		/* the server closed: all is back */
	STREAM_ERROR		/* a send or recv failed: e */
};

/* What a stall means, from what our own buffers hold. */
enum stream_stuck { STREAM_DEADLOCK, STREAM_NOT_READING, STREAM_SILENT };

/*
 * The book's client sends total bytes of "capitalize this!" over and over,
 * shuts its side, and reads until the server closes; with full_duplex it
 * reads while it sends.
 */
struct stream {
	int		 fd;
	/* The server, for messages: after a reset getpeername() fails. */
	struct sockaddr_storage peer;
	long long	 total;
	int		 full_duplex;
	int		 stall_ms;	/* no progress this long: a stall; -1 */
	double		 report;	/* seconds between spans; 0: none */
	/* How it goes. */
	long long	 t0;		/* stream_start(), in ns */
	long long	 sent, received;
	int		 shut, eof;
	const unsigned char *first;	/* STREAM_FIRST_DATA */
	size_t		 nfirst;
	/* STREAM_STALL: bytes in our send and receive buffers, and why. */
	int		 outq, inq;
	enum stream_stuck stuck;
	/* STREAM_SPAN: nominal seconds from t0, measured ns, bytes moved. */
	struct {
		double		 start, end;
		long long	 ns, sent, received;
	} span;
	/* Where it stands, for stream_next(). */
	int		 shown_first;
	long long	 moved_ns;
	struct load_span tick;
	long long	 span_sent, span_received;
};

/* Ready to go on s->fd, connected now; s's settings filled before. */
void	stream_start(struct stream *s);

/*
 * Move the stream on to the next thing to tell.  The waits flush stdout
 * first and end the program on SIGINT or SIGTERM (wait_fd()).
 */
enum stream_event stream_next(struct stream *s, struct net_err *e);

/*
 * After STREAM_STALL: say what our buffers hold and which side is stuck
 * (the book's deadlock, a peer that does not read, or one that is
 * silent) with the hint that fits, and exit 3.  secs is the stall's
 * bound.
 */
void	stream_die_stalled(const struct stream *s, double secs)
	    __attribute__((noreturn));

#endif
