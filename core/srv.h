/* Many TCP clients on one epoll loop: a fixed pool, a cap, idle timeouts. */
#ifndef NETDEMO_SRV_H
#define NETDEMO_SRV_H

#include <sys/socket.h>

#include "listen.h"
#include "net.h"

/* One client: slots come from a pool made at start, never from a flood. */
struct srv_slot {
	int		 fd;		/* -1: free */
	int		 next_free;
	int		 listener;	/* index in lfd[] it came through */
	unsigned	 events;	/* what to wait for, once watched */
	int		 watched;	/* in the epoll set */
	long long	 last_ms;	/* the last event on it */
	struct sockaddr_storage peer;
};

/*
 * What the protocol does; the loop prints nothing itself.  id indexes
 * the pool (and the caller's own state).
 */
struct srv_ops {
	/*
	 * A new client, not yet watched: open may serve it at once (its data
	 * is often there already) and even close it, sparing the epoll set.
	 */
	void	(*open)(int id);
	void	(*io)(int id, unsigned events);
	void	(*expire)(int id);			/* idle too long */
	/*
	 * A client that open() left waiting could not be watched (err): the
	 * protocol says so and closes it (srv_close()), giving back what
	 * open() took for it.
	 */
	void	(*fail)(int id, int err);
	/*
	 * A connection accepted and closed at once: peer when the pool is
	 * full (err 0), NULL when the process ran out of descriptors (err).
	 */
	void	(*refuse)(const struct sockaddr_storage *peer, int err);
};

struct srv {
	int		 lfd[LISTEN_MAX], nl, ep, spare;
	struct srv_slot	*slot;
	int		 free_head, used, active, max, paused;
	long long	 idle_ms, next_sweep, closed;
	/* Paused for want of descriptors: listen again then (ms), or 0. */
	long long	 retry_ms;
	long long	 taken, count;	/* clients given a slot; -c's N */
	const struct srv_ops *ops;
};

/*
 * The pool of max slots and the epoll set; idle seconds, 0 for never.  -1
 * with errno (the caller names the failure: no address is involved).
 * Past the open-files limit (ulimit -n) clients are refused with EMFILE:
 * raising it is the caller's business, not a server's.
 */
int	srv_init(struct srv *s, int max, double idle, const struct srv_ops *ops);
/*
 * Listen on every address the operand word names, made as r says
 * (listen_open()); the count, or -1.
 */
int	srv_listen(struct srv *s, const char *word, int family,
	    struct listen_req *r, struct net_err *e);
/* Wait for these epoll events on slot id (EPOLLIN, EPOLLOUT). */
int	srv_watch(struct srv *s, int id, unsigned events);
/* Close slot id's connection and free the slot. */
void	srv_close(struct srv *s, int id);
/*
 * Serve count connections (0: forever), flushing output before each wait:
 * once count are taken no more are accepted, and the server ends when
 * they are closed.  -1 with e: a failure, or EINTR when SIGINT or SIGTERM
 * came (the caller exits for it), or "write to stdout" when that failed.
 */
int	srv_run(struct srv *s, long long count, struct net_err *e);

#endif
