/* udp-client: send a datagram, wait for the answer with backoff. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "../core/book.h"
#include "../core/cli.h"
#include "../core/err.h"
#include "../core/flood.h"
#include "../core/floodrep.h"
#include "../core/load.h"
#include "../core/net.h"
#include "../core/neterr.h"
#include "../core/out.h"
#include "../core/repr.h"
#include "../core/sig.h"
#include "../core/wait.h"
#include "applets.h"

struct conf {
	struct common	 c;
	const char	*message;
	int		 promiscuous;
	double		 backoff[2];
	int		 broadcast;
	double		 flood;
	long long	 window;
	double		 report;
};

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	OPT('m', "message", OPT_STR, C(message), "TEXT",
	    "what to send (default: The time is <now>)", 0, 0),
	OPT(0, "promiscuous", OPT_FLAG, C(promiscuous), "",
	    "unconnected: take a reply from anyone (the danger)", 0, 0),
	OPT(0, "backoff", OPT_BACKOFF, C(backoff), "FIRST,MAX",
	    "wait FIRST s, doubling to MAX (0.1,2.0; 0: forever)", 0, 0),
	OPT(0, "broadcast", OPT_FLAG, C(broadcast), "",
	    "allow a broadcast address; send and wait for nothing", 0, 0),
	OPT(0, "flood", OPT_SECS, C(flood), "SECS",
	    "send for SECS, many in flight; print rate, loss, latency",
	    0.01, 3600),
	OPT(0, "window", OPT_INT, C(window), "N",
	    "--flood: datagrams in flight (default 64)", 1, LOAD_MAX_SOCKETS),
	OPT(0, "report", OPT_SECS, C(report), "SECS",
	    "report every SECS as a long run goes (default 1; 0: only at "
	    "the end)", 0, 3600),
	OPT_END
};

#define MAXDGRAM 65535

/* One address being tried. */
struct try {
	const struct conf *cf;
	const struct addrinfo *ai;
	const char	*host;
	int		 fd, connected;
	char		 where[REPR_ADDR_MAX];
};

/*
 * This address gave no reply: what (a failure with err, status 1), or
 * the server kept silent (err 0, status 3).  On the last address, the end;
 * else say so, and on to the next.
 */
static int
give_up_on(struct try *t, int status, int err, const char *what)
{
	char next[REPR_ADDR_MAX];

	if (t->ai->ai_next == NULL)
		die(status, err, "%s", what);
	repr_addr(next, sizeof(next), t->ai->ai_next->ai_addr);
	err_set_hint("trying the next address of '%.64s': %s", t->host, next);
	warn(err, "%s", what);
	return -1;
}

/* A call on this address failed with errno: op is "connect to" and such. */
static int
fail(struct try *t, const char *op)
{
	char what[512];
	struct net_err e;

	if (errno == EINTR)
		err_check_signal();
	net_fail(&e, errno, op, t->ai->ai_addr, NULL, 0);
	neterr_what(&e, what, sizeof(what));
	return give_up_on(t, EXIT_SYSTEM, e.err, what);
}

/* The message, to the server (connected) or to its address. */
static int
send_msg(struct try *t)
{
	const char *msg = t->cf->message;
	ssize_t n;

	do {
		err_check_signal();
		n = t->connected ? send(t->fd, msg, strlen(msg), 0) :
		    sendto(t->fd, msg, strlen(msg), 0, t->ai->ai_addr,
		    t->ai->ai_addrlen);
	} while (n < 0 && errno == EINTR);
	return n < 0 ? fail(t, "send to") : 0;
}

/* The book's backoff on one socket: 0 on a reply. */
static int
await_reply(struct try *t)
{
	static unsigned char buf[MAXDGRAM];
	const struct conf *cf = t->cf;
	struct sockaddr_storage from;
	socklen_t fromlen;
	double delay = cf->backoff[0], waited = 0;
	int attempt = 1;

	for (;; attempt++) {
		ssize_t n;

		if (delay > 0)
			OUT("retry", "Waiting up to {} seconds for a reply",
			    OF_REAL("delay", delay), OF_INT("attempt", attempt),
			    OF_ADDR("to", t->ai->ai_addr));
		if (wait_fd(t->fd, POLLIN, delay > 0 ?
		    (int)(delay * 1000 + 0.5) : -1)) {
			fromlen = sizeof(from);
			n = recvfrom(t->fd, buf, sizeof(buf), 0, (void *)&from,
			    &fromlen);
			if (n >= 0) {
				if (!t->connected)
					OUT("reply", "The server {} replied {}",
					    OF_ADDR("from", &from),
					    OF_TEXT("data", buf, (size_t)n),
					    OF_INT("bytes", n));
				else
					OUT("reply", "The server says {}",
					    OF_TEXT("data", buf, (size_t)n),
					    OF_ADDR("from", &from),
					    OF_INT("bytes", n));
				return 0;
			}
			if (errno == EINTR) {
				err_check_signal();
				continue;
			}
			/* Refused (no one listens) or unreachable: no retry. */
			return fail(t, "recv from");
		}
		waited += delay;
		delay *= 2;
		if (delay > cf->backoff[1]) {
			if (t->ai->ai_next == NULL)
				err_set_hint("no reply from %s in %d tries "
				    "over %g seconds; is a server running "
				    "there, and does a firewall let UDP "
				    "through?", t->where, attempt, waited);
			return give_up_on(t, EXIT_GAVE_UP, 0,
			    "I think the server is down");
		}
		if (send_msg(t) < 0)
			return -1;
	}
}

/* One address of the name: 0 when it answered. */
static int
exchange(struct try *t)
{
	const struct conf *cf = t->cf;
	struct sockaddr_storage me;
	int one = 1, rc = -1, v6;

	repr_addr(t->where, sizeof(t->where), t->ai->ai_addr);
	t->connected = !cf->broadcast && !cf->promiscuous;
	t->fd = socket(t->ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (t->fd < 0)
		return fail(t, "socket for");
	if (cf->broadcast) {
		if (setsockopt(t->fd, SOL_SOCKET, SO_BROADCAST, &one,
		    sizeof(one)) < 0) {
			fail(t, "set SO_BROADCAST for");
			goto done;
		}
	} else if (t->connected) {
		/*
		 * ICMP's host and network unreachable are soft errors: a
		 * connected socket hears of them only with IP_RECVERR, and
		 * can then tell them from a refusal.
		 */
		v6 = t->ai->ai_family == AF_INET6;
		(void)setsockopt(t->fd, v6 ? IPPROTO_IPV6 : IPPROTO_IP, v6 ?
		    IPV6_RECVERR : IP_RECVERR, &one, sizeof(one));
		if (connect(t->fd, t->ai->ai_addr, t->ai->ai_addrlen) < 0) {
			fail(t, "connect to");
			goto done;
		}
	}
	/* connect() named the socket; the first send names the others. */
	if (!t->connected && send_msg(t) < 0)
		goto done;
	net_sockname(t->fd, &me);
	if (cf->broadcast) {
		OUT("sent", NULL, OF_ADDR("to", t->ai->ai_addr),
		    OF_ADDR("address", &me), OF_STR("text", cf->message));
		rc = 0;
	} else {
		OUT("sockname", t->connected ? "Client socket name is {}" :
		    "The OS assigned me the address {}",
		    OF_ADDR("address", &me), OF_ADDR("to", t->ai->ai_addr));
		if (!t->connected || send_msg(t) == 0)
			rc = await_reply(t);
	}
done:
	close(t->fd);
	return rc;
}

/* --flood: the first address of the name, window requests in flight. */
static int
flood(const struct conf *cf, const struct addrinfo *ai)
{
	static struct flood u;
	struct net_err e;
	int rc;

	u.to = ai->ai_addr;
	u.tolen = ai->ai_addrlen;
	u.msg = cf->message;
	u.len = strlen(cf->message);
	u.window = cf->window ? (int)cf->window : 64;
	u.secs = cf->flood;
	u.report_ns = (long long)(cf->report * 1e9);
	u.interval = floodrep_interval;
	floodrep_start(&u);
	rc = flood_run(&u, &e);
	return floodrep_end(&u, rc, &e);
}

int
udp_client_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = BOOK_PORT, .backoff = { -1, -1 },
	    .report = -1 };
	char *operand[OPT_MAX_OPERANDS], text[64];
	const char *host = "127.0.0.1";
	struct addrinfo *res;
	struct net_err e;
	struct try t;
	int family;

	if (cli_parse(ap, al, prog, argc, argv, &cf, operand) > 0)
		host = operand[0];
	if (cf.broadcast && cf.promiscuous)
		cli_usage_error(ap, al, prog,
		    "cannot use --broadcast with --promiscuous");
	if (cf.backoff[0] >= 0 && cf.broadcast)
		cli_usage_error(ap, al, prog,
		    "cannot use --backoff with --broadcast");
	if (cf.broadcast && cf.c.ipv6)
		cli_usage_error(ap, al, prog, "cannot use --broadcast with -6");
	if (cf.c.port == 0)
		cli_usage_error(ap, al, prog, "argument -p/--port: a client "
		    "needs a port from 1 to 65535");
	if (cf.window && !cf.flood)
		cli_usage_error(ap, al, prog,
		    "cannot use --window without --flood");
	if (cf.backoff[0] >= 0 && cf.flood)
		cli_usage_error(ap, al, prog,
		    "cannot use --backoff with --flood");
	if (cf.flood && cf.broadcast)
		cli_usage_error(ap, al, prog,
		    "cannot use --flood with --broadcast");
	if (cf.flood && cf.promiscuous)
		cli_usage_error(ap, al, prog,
		    "cannot use --flood with --promiscuous");
	if (cf.report < 0)
		cf.report = 1;
	if (cf.backoff[0] < 0) {
		cf.backoff[0] = 0.1;
		cf.backoff[1] = 2.0;
	}
	family = cf.c.ipv4 || cf.broadcast ? AF_INET : cf.c.ipv6 ?
	    AF_INET6 : 0;
	if (family == AF_INET6 && strcmp(host, "127.0.0.1") == 0)
		host = "::1";
	if (!cf.message) {
		if (cf.broadcast)
			cf.message = BOOK_BROADCAST_TEXT;
		else {
			book_time_text(text, sizeof(text));
			cf.message = text;
		}
	}
	if (net_resolve(host, cf.c.port, family, SOCK_DGRAM, 0, &res, &e) < 0)
		neterr_die(&e);
	if (cf.flood) {
		int status = flood(&cf, res);

		freeaddrinfo(res);
		return status;
	}
	/* Each address in getaddrinfo's order, until one answers. */
	t.cf = &cf;
	t.host = host;
	for (t.ai = res; t.ai && exchange(&t) < 0; t.ai = t.ai->ai_next)
		;
	freeaddrinfo(res);
	return EXIT_OK;
}

const struct applet udp_client_applet = {
	"udp-client", "[HOST]",
	"send a datagram and wait for the reply, with backoff",
	opts, 0, 1
};
