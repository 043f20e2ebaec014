/* A client's datagram socket: aimed, with ICMP errors and a watch on strays. */
#ifndef NETDEMO_DGRAM_H
#define NETDEMO_DGRAM_H

#include <stddef.h>
#include <sys/socket.h>
#include <sys/types.h>

#include "icmp.h"

struct aim;
struct net_err;

/*
 * A socket that sends to one address.  Connected (DGRAM_CONNECT), it
 * takes only the server's answers, hears ICMP errors with their sender
 * (IP_RECVERR), and keeps a second, unconnected socket on the same port
 * (SO_REUSEADDR on both): the kernel gives that one whatever comes from
 * any other address, so a server that answers from the wrong address is
 * told from one that does not answer.  Unconnected, it takes answers from
 * anyone: the book's "promiscuous" client, and every member of a group.
 */
struct dgram {
	int		 fd;
	int		 watch;		/* the watcher, or -1 */
	int		 connected;
	struct sockaddr_storage to;
	socklen_t	 tolen;
	/* What the watcher saw: how many came from stray, the first. */
	long long	 strays;
	struct sockaddr_storage stray;
	/* The last ICMP error read, origin ICMP_ORIGIN_NONE when none. */
	struct icmp_report icmp;
	size_t		 quoted;	/* bytes of our datagram it quoted */
};

#define DGRAM_CONNECT	1	/* connected, with the watcher and ICMP */
#define DGRAM_BROADCAST	2	/* SO_BROADCAST */
#define DGRAM_LOOP	4	/* a group's members on this host hear us */

/*
 * An IPv6 link-local or group address takes its zone from -I when it has
 * none.  NULL, or what is wrong as a usage error says it: -I names another
 * link than the zone, a group has no link at all.
 */
const char *dgram_scope(const struct aim *a, struct sockaddr *to);

/*
 * An aimed socket (aim_socket()) for to, bound (port 0: the system's) so
 * that its name is known before anything is sent.  0, or -1 with e.
 */
int	dgram_open(struct dgram *d, const struct aim *a,
	    const struct sockaddr *to, int flags, struct net_err *e);
void	dgram_close(struct dgram *d);

/*
 * Send n bytes to the server.  0, or -1 with e ("send to"); an ICMP error
 * that an earlier datagram caused and the system reports here is read
 * into d->icmp.
 */
int	dgram_send(struct dgram *d, const void *p, size_t n,
	    struct net_err *e);

/*
 * One datagram, without waiting: 1 with *n and *from set, 0 when none
 * is queued, -1 with e ("recv from") on an error, its ICMP message (if
 * the kernel queued one) in d->icmp.
 */
int	dgram_recv(struct dgram *d, void *buf, size_t cap, size_t *n,
	    struct sockaddr_storage *from, struct net_err *e);

/* Take what waits at the watcher, counting it in d->strays. */
void	dgram_drain_watch(struct dgram *d);

/*
 * A failed call on d (e, from a dgram_*() call) as an error names it, into
 * what: the call and the address, then the ICMP message behind it with its
 * sender ("recv from ('10.0.2.2', 1060): ICMP administratively prohibited
 * from ('10.0.1.1', 0)"), but the book's words alone for a port unreachable
 * from the host itself.  Sets the hint that fits, and the error event's
 * "icmp" and "from", for the die() or warn() that follows.  broadcast: the
 * user asked for SO_BROADCAST.
 */
void	dgram_blame(const struct dgram *d, const struct net_err *e,
	    int broadcast, char *what, size_t cap);

/*
 * The same error as a series shows it beside a request: the ICMP message
 * and its sender, or "OSError: [Errno 101] Network is unreachable".
 */
const char *dgram_error_text(const struct dgram *d, const struct net_err *e,
	    char *buf, size_t cap);

/*
 * No reply, but d->strays datagrams from d->stray: the error into what,
 * with its hint and the error event's "from" set.
 */
void	dgram_elsewhere(const struct dgram *d, char *what, size_t cap);

#endif
