/* udp-client: send a datagram, wait for the answer with backoff. */
#include <errno.h>
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
	    "unconnected: take a reply from anyone (udp_local's danger)", 0, 0,
	    NULL },
	{ 0, "backoff", OPT_BACKOFF, C(backoff), "FIRST,MAX",
	    "wait FIRST seconds, doubling up to MAX (default 0.1,2.0; "
	    "0: once, forever)", 0, 0, NULL },
	{ 0, "broadcast", OPT_FLAG, C(broadcast), NULL,
	    "allow a broadcast address; send and wait for nothing", 0, 0,
	    NULL },
	{ 0, NULL, 0, 0, NULL, NULL, 0, 0, NULL }
};

#define MAXDGRAM 65535

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

static void
send_or_die(int fd, const char *msg, const struct sockaddr_storage *to,
    socklen_t tolen)
{
	char where[REPR_ADDR_MAX];
	ssize_t n;

	do
		n = to ? sendto(fd, msg, strlen(msg), 0, (const void *)to,
		    tolen) : send(fd, msg, strlen(msg), 0);
	while (n < 0 && errno == EINTR && (err_check_signal(), 1));
	if (n < 0) {
		struct sockaddr_storage peer;

		if (to)
			memcpy(&peer, to, sizeof(peer));
		else
			net_peername(fd, &peer);
		repr_addr(where, sizeof(where), (void *)&peer);
		die(EXIT_SYSTEM, errno, "send to %s", where);
	}
}

static int
udp_client_main(const struct applet *ap, const struct alias *al,
    const char *prog, int argc, char **argv)
{
	struct conf cf = { .c.port = 1060, .backoff = { 0.1, 2.0 } };
	char *operand[OPT_MAX_OPERANDS], text[64], where[REPR_ADDR_MAX];
	static unsigned char buf[MAXDGRAM];
	struct sockaddr_storage to, me, from;
	socklen_t tolen = 0, fromlen;
	const char *host = "127.0.0.1";
	struct net_err e;
	double delay;
	int fd, family, one = 1;

	if (opt_cli(ap, al, prog, argc, argv, &cf, operand) > 0)
		host = operand[0];
	if (cf.broadcast && cf.promiscuous)
		opt_usage_error(ap, al, prog,
		    "cannot use --broadcast with --promiscuous");
	family = cf.c.ipv4 ? AF_INET : cf.c.ipv6 ? AF_INET6 : 0;
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
	if (cf.broadcast || cf.promiscuous) {
		fd = net_socket_for(host, cf.c.port, family, SOCK_DGRAM, &to,
		    &tolen, &e);
		if (fd < 0)
			die(EXIT_SYSTEM, e.err, "%s", net_what(&e));
		if (cf.broadcast && setsockopt(fd, SOL_SOCKET, SO_BROADCAST,
		    &one, sizeof(one)) < 0)
			die(EXIT_SYSTEM, errno, "set SO_BROADCAST");
		send_or_die(fd, cf.message, &to, tolen);
		if (cf.broadcast) {
			OUT("send", NULL, OF_ADDR("to", &to),
			    OF_STR("text", cf.message));
			close(fd);
			return EXIT_OK;
		}
		net_sockname(fd, &me);
		OUT("sockname", "The OS assigned me the address {}",
		    OF_ADDR("address", &me));
	} else {
		fd = net_connect(host, cf.c.port, family, SOCK_DGRAM, &e);
		if (fd < 0)
			die(EXIT_SYSTEM, e.err, "%s", net_what(&e));
		net_peername(fd, &to);
		net_sockname(fd, &me);
		OUT("sockname", "Client socket name is {}",
		    OF_ADDR("address", &me));
	}
	repr_addr(where, sizeof(where), (void *)&to);

	/* The book's backoff: wait, double, give up past the maximum. */
	for (delay = cf.backoff[0];;) {
		ssize_t n;
		int ready;

		if (!cf.promiscuous)
			send_or_die(fd, cf.message, NULL, 0);
		if (delay > 0)
			OUT("retry", "Waiting up to {} seconds for a reply",
			    OF_REAL("delay", delay));
		ready = net_wait(fd, POLLIN, delay > 0 ?
		    (int)(delay * 1000 + 0.5) : -1);
		if (ready) {
			fromlen = sizeof(from);
			n = recvfrom(fd, buf, sizeof(buf), 0, (void *)&from,
			    &fromlen);
			if (n >= 0) {
				if (cf.promiscuous)
					OUT("reply", "The server {} replied {}",
					    OF_ADDR("from", &from),
					    OF_TEXT("data", buf, (size_t)n));
				else
					OUT("reply", "The server says {}",
					    OF_TEXT("data", buf, (size_t)n),
					    OF_ADDR("from", &from));
				break;
			}
			if (errno == EINTR) {
				err_check_signal();
				continue;
			}
			/* ICMP said nobody listens, or no route: no retry. */
			die(EXIT_SYSTEM, errno, "recv from %s", where);
		}
		delay *= 2;
		if (delay > cf.backoff[1]) {
			warn(0, "I think the server is down");
			err_hint("no reply from %s; is a server running "
			    "there, and does a firewall let UDP through?",
			    where);
			out_exit(EXIT_GAVE_UP);
		}
		if (cf.promiscuous)
			send_or_die(fd, cf.message, &to, tolen);
	}
	close(fd);
	return EXIT_OK;
}

const struct applet udp_client_applet = {
	"udp-client", "[HOST]",
	"send a datagram and wait for the reply, backing off "
	"(default to 127.0.0.1)",
	opts, 0, 1, udp_client_main
};
