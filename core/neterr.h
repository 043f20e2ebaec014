/* A failed network call reported: the line, the hint that fits, the exit. */
#ifndef NETDEMO_NETERR_H
#define NETDEMO_NETERR_H

#include <stddef.h>

struct icmp_report;
struct net_err;
struct sockaddr;

/*
 * "connect to ('127.0.0.1', 1060): ConnectionRefusedError: [Errno 111]
 * Connection refused" and the hint that fits what was being done, then
 * exit 1.  An EINTR is the signal that caused it: the exit is the
 * signal's (err_check_signal()).
 */
void	neterr_die(const struct net_err *e) __attribute__((noreturn));
/* The same line and hint, and go on. */
void	neterr_warn(const struct net_err *e);
/*
 * e's operation and address as the message names them, "connect to
 * ('127.0.0.1', 1060)", into buf.
 */
void	neterr_what(const struct net_err *e, char *buf, size_t cap);
/*
 * The hint for a failure that is not the end, because host has another
 * address, next, still to try: "trying the next address of 'HOST': (...)".
 */
void	neterr_hint_next(const char *host, const struct sockaddr *next);
/*
 * What an ICMP message r said about a failure whose packet went to to:
 * ": ICMP administratively prohibited from ('10.0.1.1', 0)" added to the
 * message in what, and for the die() or warn() that follows, "icmp" and
 * "from" in its JSON event (err_set_from()) and the hint that fits
 * (err_set_hint()).
 */
void	neterr_icmp(const struct icmp_report *r, const struct sockaddr *to,
	    char *what, size_t cap);

#endif
