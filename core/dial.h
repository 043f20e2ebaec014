/* A client's TCP connection: aimed, bounded in time, its failure named. */
#ifndef NETDEMO_DIAL_H
#define NETDEMO_DIAL_H

#include <netdb.h>
#include <sys/socket.h>

#include "aim.h"
#include "icmp.h"
#include "net.h"

/*
 * Why a connection was not made: the call that failed (e.err ETIMEDOUT
 * and timed_out set when our own bound ran out before any answer came),
 * and what ICMP said about it (origin ICMP_ORIGIN_NONE when nothing).
 */
struct dial_fail {
	struct net_err	 e;
	int		 timed_out;
	/* Bytes of the 16-byte reply that came before the bound ran out. */
	int		 got;
	struct icmp_report icmp;
};

/*
 * A TCP socket for to, aimed by a (aim_socket()), with ICMP errors
 * queued on it (icmp_listen()), so that a failed connect() can say who
 * refused it and how.  The fd, or -1 with e filled.
 */
int	dial_socket(const struct aim *a, const struct sockaddr *to,
	    struct net_err *e);

/* After a connect() on fd failed with err: what ICMP said, into r. */
void	dial_icmp(int fd, int err, struct icmp_report *r);

/*
 * dial_socket() connected to to within timeout_ms (-1: as long as the
 * system tries), *ns the time the handshake took.  The fd, blocking, or
 * -1 with f filled.
 */
int	dial_one(const struct aim *a, const struct sockaddr *to,
	    int timeout_ms, long long *ns, struct dial_fail *f);

/*
 * What failed, into what: "connect to ('10.0.2.2', 1060)", and when ICMP
 * said why, ": ICMP administratively prohibited from ('10.0.1.1', 0)";
 * then, for the next die() or warn(), "icmp" and "from" in its JSON event
 * (err_set_from()) and the hint that fits (err_set_hint()).
 */
void	dial_explain(const struct dial_fail *f, char *what, size_t cap);

/*
 * f reported: "connect to ('10.0.2.2', 1060): OSError: [Errno 113] No
 * route to host", then what ICMP said and by whom ("ICMP administratively
 * prohibited from ('10.0.1.1', 0)"; in JSON "icmp" and "icmp_from") and
 * the hint that fits it.  Where the bound of secs seconds ran out
 * (timed_out): no answer to the connection request (e.op "connect to"),
 * or no reply to the message sent on it; e.err EPROTO: a reply that is
 * not the book's.  dial_die() then exits: 3 when no answer or no reply
 * came, else 1 (a signal's status for EINTR).
 */
void	dial_warn(const struct dial_fail *f, double secs);
void	dial_die(const struct dial_fail *f, double secs)
	    __attribute__((noreturn));

/*
 * A connection for a client to one of res, the addresses host resolved to
 * (net_resolve()), in getaddrinfo's order, each with dial_one() within
 * secs seconds (0: as long as the system tries).  An address given up on
 * is said, naming the next one; the last one's failure ends the program
 * (dial_die()).  res is freed.  The fd, *ns its handshake's time.
 */
int	dial(const char *host, struct addrinfo *res, const struct aim *a,
	    double secs, long long *ns);

#endif
