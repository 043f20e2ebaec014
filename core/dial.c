/* A client's TCP connection: aimed, bounded in time, its failure named. */
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "aim.h"
#include "clock.h"
#include "dial.h"
#include "err.h"
#include "icmp.h"
#include "net.h"
#include "neterr.h"
#include "out.h"
#include "repr.h"

int
dial_socket(const struct aim *a, const struct sockaddr *to,
    struct net_err *e)
{
	int fd = aim_socket(a, to, SOCK_STREAM, e);

	if (fd < 0)
		return -1;
	if (icmp_listen(fd, to->sa_family, e) < 0)
		return net_abandon(fd, e);
	return fd;
}

void
dial_icmp(int fd, int err, struct icmp_report *r)
{
	unsigned char quoted[64];
	struct net_err e;
	size_t n;

	memset(r, 0, sizeof(*r));
	r->origin = ICMP_ORIGIN_NONE;
	/* A refusal is a reset, a bound of ours no message: nothing queued. */
	if (err == ECONNREFUSED || err == ETIMEDOUT || err == EINTR)
		return;
	/* The record that matches the failure; others came before it. */
	while (icmp_read(fd, r, quoted, sizeof(quoted), &n, &e) > 0)
		if ((r->origin == ICMP_ORIGIN_ICMP ||
		    r->origin == ICMP_ORIGIN_ICMP6) && r->err == err)
			return;
	r->origin = ICMP_ORIGIN_NONE;
}

int
dial_one(const struct aim *a, const struct sockaddr *to, int timeout_ms,
    long long *ns, struct dial_fail *f)
{
	long long t0;
	int fd;

	memset(f, 0, sizeof(*f));
	f->icmp.origin = ICMP_ORIGIN_NONE;
	if ((fd = dial_socket(a, to, &f->e)) < 0)
		return -1;
	t0 = clock_ns();
	if (net_connect_within(fd, to, timeout_ms, &f->e) < 0) {
		f->timed_out = f->e.err == ETIMEDOUT && timeout_ms >= 0;
		dial_icmp(fd, f->e.err, &f->icmp);
		close(fd);
		errno = f->e.err;
		return -1;
	}
	*ns = clock_ns() - t0;
	return fd;
}

void
dial_explain(const struct dial_fail *f, char *what, size_t cap)
{
	neterr_what(&f->e, what, cap);
	/* "connect to (B): ICMP ... from (R)", as udp-client says it. */
	if (f->icmp.origin == ICMP_ORIGIN_ICMP ||
	    f->icmp.origin == ICMP_ORIGIN_ICMP6)
		neterr_icmp(&f->icmp, (const struct sockaddr *)&f->e.addr,
		    what, cap);
}

/* f said, with next (an address still to try) or NULL; then exit if fatal. */
static void
report(const struct dial_fail *f, double secs, int fatal, const char *host,
    const struct sockaddr *next)
{
	char what[512], dur[64], there[REPR_ADDR_MAX], msg[700];
	int status = EXIT_SYSTEM;

	if (f->e.err == EINTR)
		err_check_signal();
	dial_explain(f, what, sizeof(what));
	if (next)
		neterr_hint_next(host, next);
	if (!f->timed_out && f->e.err != EPROTO) {
		if (fatal)
			die(EXIT_SYSTEM, f->e.err, "%s", what);
		warn(f->e.err, "%s", what);
		return;
	}
	repr_addr(there, sizeof(there), (const struct sockaddr *)&f->e.addr);
	repr_secs(dur, sizeof(dur), secs);
	if (f->e.err == EPROTO)
		snprintf(msg, sizeof(msg), "%s: the reply was not b'Farewell, "
		    "client'", what);
	else if (strcmp(f->e.op, "connect to") == 0) {
		if (!next)
			err_set_hint("a firewall may be dropping it, or no "
			    "host has that address; --stall 0 waits as long "
			    "as the system does");
		snprintf(msg, sizeof(msg), "%s: no answer to the connection "
		    "request in %s (see --stall)", what, dur);
		status = EXIT_GAVE_UP;
	} else if (f->got > 0) {
		err_set_hint("the reply stopped after %d of its 16 bytes",
		    f->got);
		snprintf(msg, sizeof(msg), "no whole reply from %s in %s (see "
		    "--stall)", there, dur);
		status = EXIT_GAVE_UP;
	} else {
		err_set_hint("the server took the message and sent nothing "
		    "back");
		snprintf(msg, sizeof(msg), "no reply from %s in %s (see "
		    "--stall)", there, dur);
		status = EXIT_GAVE_UP;
	}
	if (fatal)
		die(status, 0, "%s", msg);
	warn(0, "%s", msg);
}

void
dial_warn(const struct dial_fail *f, double secs)
{
	report(f, secs, 0, NULL, NULL);
}

void
dial_die(const struct dial_fail *f, double secs)
{
	report(f, secs, 1, NULL, NULL);
	/* report() has exited; the compiler cannot tell. */
	err_exit(EXIT_SYSTEM);
}

int
dial(const char *host, struct addrinfo *res, const struct aim *a,
    double secs, long long *ns)
{
	struct addrinfo *ai;
	struct dial_fail f;
	int fd = -1, ms = secs > 0 ? (int)(secs * 1000 + 0.5) : -1;

	for (ai = res; ai; ai = ai->ai_next) {
		if ((fd = dial_one(a, ai->ai_addr, ms, ns, &f)) >= 0)
			break;
		if (ai->ai_next == NULL)
			dial_die(&f, secs);
		report(&f, secs, 0, host, ai->ai_next->ai_addr);
	}
	freeaddrinfo(res);
	return fd;
}
