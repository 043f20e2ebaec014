/* udp-client: send a datagram, wait for the answer with backoff. */
#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "../core/applet.h"
#include "../core/err.h"
#include "../core/net.h"
#include "../core/opt.h"
#include "../core/out.h"
#include "../core/repr.h"

struct conf {
	struct common	 c;
	const char	*message;
	int		 promiscuous;
	double		 backoff[2];
	int		 broadcast;
};

#define C(f) offsetof(struct conf, f)

static const struct opt opts[] = {
	{ 'm', "message", OPT_STR, C(message), "TEXT",
	    "what to send (default: The time is <now>)", 0, 0, NULL },
	{ 0, "promiscuous", OPT_FLAG, C(promiscuous), NULL,
	    "unconnected: take a reply from anyone (the danger)", 0, 0,
	    NULL },
	{ 0, "backoff", OPT_BACKOFF, C(backoff), "FIRST,MAX",
	    "wait FIRST s, doubling to MAX (0.1,2.0; 0: forever)", 0, 0,
	    NULL },
	{ 0, "broadcast", OPT_FLAG, C(broadcast), NULL,
	    "allow a broadcast address; send and wait for nothing", 0, 0,
	    NULL },
	{ 0, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
};

#define MAXDGRAM 65535

/* Why an address gave no reply: the exit status, errno, what failed. */
struct failure {
	int		 status;
	int		 err;
	char		 what[160];
	char		 hint[200];
};

/* Python's str(datetime.now()): microseconds unless there are none. */
static void
time_text(char *buf, size_t cap)
{
	struct timespec ts;
	struct tm tm;
	size_t n;

	clock_gettime(CLOCK_REALTIME, &ts);
	localtime_r(&ts.tv_sec, &tm);
	n = strftime(buf, cap, "The time is %Y-%m-%d %H:%M:%S", &tm);
	if (ts.tv_nsec / 1000)
		snprintf(buf + n, cap - n, ".%06ld", ts.tv_nsec / 1000);
}

static int
fail(struct failure *f, int status, int err, const char *op,
    const char *where)
{
	f->status = status;
	f->err = err;
	snprintf(f->what, sizeof(f->what), "%s%s%s", op, where[0] ? " " : "",
	    where);
	f->hint[0] = '\0';
	return -1;
}

/* send() or sendto(), again after a signal; -1 with f filled. */
static int
send_msg(int fd, const struct conf *cf, const struct addrinfo *ai,
    int connected, const char *where, struct failure *f)
{
	size_t len = strlen(cf->message);
	ssize_t n;

	do
		n = connected ? send(fd, cf->message, len, 0) :
		    sendto(fd, cf->message, len, 0, ai->ai_addr,
		    ai->ai_addrlen);
	while (n < 0 && errno == EINTR && (err_check_signal(), 1));
	return n < 0 ? fail(f, EXIT_SYSTEM, errno, "send to", where) : 0;
}

/*
 * ICMP's host and network unreachable are soft errors: a connected socket
 * hears of them only with IP_RECVERR, and then tells them from a refusal.
 */
static void
hear_icmp(int fd, int family)
{
	int one = 1;

	if (family == AF_INET6)
		(void)setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one,
		    sizeof(one));
	else
		(void)setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one,
		    sizeof(one));
}

/* The book's backoff on one socket: 0 on a reply, else -1 with f. */
static int
await_reply(int fd, const struct conf *cf, const struct addrinfo *ai,
    int connected, const char *where, struct failure *f)
{
	static unsigned char buf[MAXDGRAM];
	struct sockaddr_storage from;
	socklen_t fromlen;
	double delay = cf->backoff[0], waited = 0;
	int attempt = 1;

	for (;; attempt++) {
		ssize_t n;

		if (delay > 0)
			OUT("retry", "Waiting up to {} seconds for a reply",
			    OF_REAL("delay", delay), OF_INT("attempt", attempt),
			    OF_ADDR("to", ai->ai_addr));
		if (net_wait(fd, POLLIN, delay > 0 ?
		    (int)(delay * 1000 + 0.5) : -1)) {
			fromlen = sizeof(from);
			n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from,
			    &fromlen);
			if (n >= 0) {
				if (!connected)
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
			return fail(f, EXIT_SYSTEM, errno, "recv from", where);
		}
		waited += delay;
		delay *= 2;
		if (delay > cf->backoff[1]) {
			fail(f, EXIT_GAVE_UP, 0, "I think the server is down",
			    "");
			snprintf(f->hint, sizeof(f->hint), "no reply from %s in "
			    "%d tries over %g seconds; is a server running "
			    "there, and does a firewall let UDP through?",
			    where, attempt, waited);
			return -1;
		}
		if (send_msg(fd, cf, ai, connected, where, f) < 0)
			return -1;
	}
}

/* One address of the name: 0 when it answered, else -1 with f. */
static int
exchange(const struct conf *cf, const struct addrinfo *ai, struct failure *f)
{
	char where[REPR_ADDR_MAX];
	struct sockaddr_storage me;
	int fd, one = 1, connected = !cf->broadcast && !cf->promiscuous;
	int rc;

	repr_addr(where, sizeof(where), ai->ai_addr);
	fd = socket(ai->ai_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return fail(f, EXIT_SYSTEM, errno, "socket for", where);
	if (cf->broadcast && setsockopt(fd, SOL_SOCKET, SO_BROADCAST, &one,
	    sizeof(one)) < 0)
		rc = fail(f, EXIT_SYSTEM, errno, "set SO_BROADCAST for", where);
	else if (connected) {
		hear_icmp(fd, ai->ai_family);
		if (connect(fd, ai->ai_addr, ai->ai_addrlen) < 0)
			rc = fail(f, EXIT_SYSTEM, errno, "connect to", where);
		else {
			net_sockname(fd, &me);
			OUT("sockname", "Client socket name is {}",
			    OF_ADDR("address", &me), OF_ADDR("to",
			    ai->ai_addr));
			rc = send_msg(fd, cf, ai, 1, where, f);
			if (rc == 0)
				rc = await_reply(fd, cf, ai, 1, where, f);
		}
	} else if ((rc = send_msg(fd, cf, ai, 0, where, f)) == 0) {
		net_sockname(fd, &me);
		if (cf->broadcast)
			OUT("sent", NULL, OF_ADDR("to", ai->ai_addr),
			    OF_ADDR("address", &me), OF_STR("text",
			    cf->message));
		else {
			OUT("sockname", "The OS assigned me the address {}",
			    OF_ADDR("address", &me), OF_ADDR("to",
			    ai->ai_addr));
			rc = await_reply(fd, cf, ai, 0, where, f);
		}
	}
	close(fd);
	return rc;
}

static int
udp_client_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = 1060, .backoff = { -1, -1 } };
	char *operand[OPT_MAX_OPERANDS], text[64], next[REPR_ADDR_MAX];
	const char *host = "127.0.0.1";
	struct addrinfo *res, *ai;
	struct failure f;
	struct net_err e;
	int family;

	if (opt_cli(ap, al, prog, argc, argv, &cf, operand) > 0)
		host = operand[0];
	if (cf.broadcast && cf.promiscuous)
		opt_usage_error(ap, al, prog,
		    "cannot use --broadcast with --promiscuous");
	if (cf.broadcast && cf.backoff[0] >= 0)
		opt_usage_error(ap, al, prog,
		    "cannot use --backoff with --broadcast");
	if (cf.broadcast && cf.c.ipv6)
		opt_usage_error(ap, al, prog, "cannot use --broadcast with -6");
	if (cf.c.port == 0)
		opt_usage_error(ap, al, prog, "argument -p/--port: a client "
		    "needs a port from 1 to 65535");
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
			cf.message = "Broadcast datagram!";
		else {
			time_text(text, sizeof(text));
			cf.message = text;
		}
	}
	if (net_resolve(host, cf.c.port, family, SOCK_DGRAM, 0, &res, &e) < 0)
		die(EXIT_SYSTEM, e.err, "%s", net_what(&e));
	/* Each address in getaddrinfo's order, until one answers. */
	for (ai = res; ai; ai = ai->ai_next) {
		if (exchange(&cf, ai, &f) == 0)
			break;
		if (!ai->ai_next) {
			if (f.hint[0])
				err_next_hint("%s", f.hint);
			die(f.status, f.err, "%s", f.what);
		}
		repr_addr(next, sizeof(next), ai->ai_next->ai_addr);
		err_next_hint("trying the next address of '%.64s': %s", host,
		    next);
		warn(f.err, "%s", f.what);
	}
	freeaddrinfo(res);
	return EXIT_OK;
}

const struct applet udp_client_applet = {
	"udp-client", "[HOST]",
	"send a datagram and wait for the reply, with backoff",
	opts, 0, 1, udp_client_main
};
